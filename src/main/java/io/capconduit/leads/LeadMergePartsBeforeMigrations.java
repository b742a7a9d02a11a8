package io.capconduit.leads;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

import org.springframework.stereotype.Component;

/**
 * Finishes the lead import parts a crash left prepared before Flyway migrates: they hold locks on {@code leads},
 * so a migration altering it would otherwise wait for them forever, and the start-up sweep runs only after the
 * migrations.
 */
@Component
class LeadMergePartsBeforeMigrations implements Callback {

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;   // it finishes parts on connections of its own
    }

    @Override
    public void handle(Event event, Context context) {
        if (mergesRecorded(context)) {
            LeadMergeParts.finishAbandoned(context.getConfiguration().getDataSource());
        }
    }

    /** Before V9_8_0 (a new database, or an older one) there is no merge in parts to finish. */
    private static boolean mergesRecorded(Context context) {
        try (Statement statement = context.getConnection().createStatement();
                ResultSet found = statement.executeQuery("SELECT to_regclass('lead_import_merges') IS NOT NULL")) {
            return found.next() && found.getBoolean(1);
        }
        catch (SQLException ex) {
            return false;
        }
    }

    @Override
    public String getCallbackName() {
        return "lead import parts left prepared";
    }
}
