package io.capconduit.system;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A constraint violation's messages, which ErrorClassification and Spring log, name the constraint but quote no
 * row values (PostgreSQL's "Failing row contains (...)" and "Key (...)=(...)" details would).
 */
@IntegrationTest
class ServerErrorDetailIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aCheckViolationNamesTheConstraintButNotTheRow() {
        DataIntegrityViolationException ex = catchThrowableOfType(DataIntegrityViolationException.class,
                () -> jdbc.update("INSERT INTO users (username, password_hash, role) VALUES (?, ?, ?)",
                        "detail-check", "{bcrypt}secret-looking-hash", "NOBODY"));

        assertThat(messages(ex)).anyMatch(m -> m.contains("users_role_check"))
                .noneMatch(m -> m.contains("Failing row") || m.contains("secret-looking-hash"));
    }

    @Test
    void aUniqueViolationDoesNotQuoteTheKey() {
        DataIntegrityViolationException ex = catchThrowableOfType(DataIntegrityViolationException.class,
                () -> jdbc.update("INSERT INTO users (username, password_hash, role) VALUES ('admin', 'x', 'STAFF')"));

        assertThat(messages(ex)).anyMatch(m -> m.contains("users_username_key"))
                .noneMatch(m -> m.contains("Key (username)=(admin)"));
        // code that needs the detail still reads it on purpose; it just is not in the message any more
        assertThat(((PSQLException) ex.getMostSpecificCause()).getServerErrorMessage().getDetail())
                .isEqualTo("Key (username)=(admin) already exists.");
    }

    private static List<String> messages(Throwable ex) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = ex; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return messages;
    }
}
