package io.capconduit.leads;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.capconduit.system.SideBySide;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A large import's merge, inserted over several connections at once with PostgreSQL's two-phase commit
 * (V9_8_0). The staged rows are filtered (DNC, duplicates) and the merge recorded with its counts in a
 * transaction of their own; then each part inserts every n-th staged row into {@code leads} on its own
 * connection and PREPAREs; once every part is prepared the decision is recorded ({@code committed}) and the
 * parts are committed. Until then no lead of the import is visible; a part that fails rolls them all back.
 * <p>
 * The merge step holds an advisory lock on its import (the coordinator's lock) for its whole transaction. A
 * crash between PREPARE and COMMIT PREPARED leaves parts prepared whose lock nobody holds: they keep their rows
 * locked and VACUUM from cleaning up behind them. They are finished at start-up, before every merge and by the
 * import's restart: committed when the decision was recorded, rolled back when it was not. Parts whose lock is
 * held belong to a merge still running, on this instance or another, and are left alone.
 */
@Component
class LeadMergeParts {

    private static final Logger log = LoggerFactory.getLogger(LeadMergeParts.class);
    private static final String GID_PREFIX = "capconduit-lead-merge-";
    /** capconduit-lead-merge-(database oid)-(job instance id)-(part): transaction ids are unique per server. */
    private static final Pattern GID = Pattern.compile(Pattern.quote(GID_PREFIX) + "[0-9]+-([0-9]+)-[0-9]+");
    /** First key of the coordinator's advisory lock; the second is the job instance id. */
    private static final int COORDINATOR_LOCK = 0x4c4d5247;
    private static final int COMMIT_ATTEMPTS = 3;

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate separately;
    private final LeadImportProperties properties;

    LeadMergeParts(DataSource dataSource, JdbcTemplate jdbc, PlatformTransactionManager transactions,
            LeadImportProperties properties) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.separately = new TransactionTemplate(transactions);
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.properties = properties;
    }

    /** What the filter found, and whether every part is prepared ({@code committed}: the decision). */
    record Merge(long instanceId, long listId, int parts, long staged, long dnc, long duplicates,
            boolean committed) {
    }

    /**
     * Whether a merge of this many staged rows runs in parts: a large one, when PostgreSQL has enough prepared
     * transaction slots free ({@code max_prepared_transactions}, 0 unless configured).
     */
    boolean inParts(long staged) {
        int parts = properties.mergeParts();
        return parts > 1 && staged >= properties.mergePartsFromRows() && jdbc.queryForObject(
                "SELECT current_setting('max_prepared_transactions')::integer - (SELECT count(*)::integer FROM pg_prepared_xacts)",
                Integer.class) >= parts;
    }

    /**
     * Takes the coordinator's lock on this import for the rest of the caller's transaction (the merge step's),
     * then finishes whatever crashes left prepared: this import's parts from an earlier attempt, committed if it
     * had decided and rolled back if not, and those of other imports whose coordinator is gone. Returns the
     * merge the earlier attempt recorded, if any. Spring Batch runs one execution of an import at a time.
     */
    Optional<Merge> resume(long instanceId) {
        lockImport(jdbc, instanceId);
        Optional<Merge> merge = find(jdbc, instanceId);
        boolean decided = merge.map(Merge::committed).orElse(false);
        for (String gid : preparedParts(jdbc, instanceId)) {
            finish(gid, decided);
        }
        finishAbandoned();
        return merge;
    }

    /** Takes the coordinator's lock on this import for the rest of the caller's transaction. */
    static void lockImport(JdbcTemplate jdbc, long instanceId) {
        jdbc.query("SELECT pg_advisory_xact_lock(?, ?)", (ResultSet rs) -> null, COORDINATOR_LOCK, (int) instanceId);
    }

    /** Filters the staged rows and records the merge with its counts, in a transaction of its own. */
    Merge filter(long instanceId, long listId, long staged) {
        return separately.execute(status -> {
            LeadMergeTasklet.Filtered filtered = LeadMergeTasklet.filter(jdbc, instanceId, listId);
            Merge merge = new Merge(instanceId, listId, properties.mergeParts(), staged, filtered.dnc(),
                    filtered.duplicates(), false);
            jdbc.update("INSERT INTO lead_import_merges (job_instance_id, list_id, parts, staged, dnc, duplicates) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", instanceId, listId, merge.parts(), staged, merge.dnc(),
                    merge.duplicates());
            return merge;
        });
    }

    /**
     * For a merge resumed before its decision: filters again what may have changed while the import was
     * stopped (numbers added to the DNC list, or to the list by another import), and counts them.
     */
    Merge refilter(Merge merge) {
        return separately.execute(status -> {
            int dnc = LeadMergeTasklet.rejectDnc(jdbc, merge.instanceId());
            int listed = LeadMergeTasklet.dropListed(jdbc, merge.instanceId(), merge.listId());
            jdbc.update("UPDATE lead_import_merges SET dnc = dnc + ?, duplicates = duplicates + ? "
                    + "WHERE job_instance_id = ?", dnc, listed, merge.instanceId());
            return new Merge(merge.instanceId(), merge.listId(), merge.parts(), merge.staged(), merge.dnc() + dnc,
                    merge.duplicates() + listed, false);
        });
    }

    /**
     * Inserts the filtered rows, one part per connection, records the decision once every part is prepared, and
     * commits them. A part that cannot be committed after the decision is committed later (restart, start-up).
     */
    void insert(Merge merge, long jobExecutionId) throws Exception {
        prepareParts(merge, jobExecutionId);
        List<String> parts = preparedParts(jdbc, merge.instanceId());
        if (parts.size() != merge.parts()) {
            throw new IllegalStateException("lead import " + merge.instanceId() + " has " + parts.size() + " of its "
                    + merge.parts() + " parts prepared");
        }
        separately.executeWithoutResult(status -> jdbc.update(
                "UPDATE lead_import_merges SET committed = true WHERE job_instance_id = ?", merge.instanceId()));
        for (String gid : parts) {
            for (int attempt = 1;; attempt++) {
                try {
                    finish(gid, true);
                    break;
                }
                catch (RuntimeException ex) {
                    if (attempt == COMMIT_ATTEMPTS) {
                        throw ex;
                    }
                    log.warn("Committing lead import part {} failed (attempt {} of {}): {}", gid, attempt,
                            COMMIT_ATTEMPTS, ex.getMessage());
                    Thread.sleep(1_000L * attempt);
                }
            }
        }
    }

    /** Every part inserted and prepared; if one fails, the others are rolled back and its failure thrown. */
    void prepareParts(Merge merge, long jobExecutionId) throws Exception {
        String sql = LeadMergeTasklet.insert(StagingTasklet.stageTable(merge.instanceId())) + " WHERE row_number % ? = ?";
        String gidPrefix = gidPrefix(jdbc, merge.instanceId());
        List<Callable<Void>> parts = new ArrayList<>();
        for (int part = 0; part < merge.parts(); part++) {
            String gid = gidPrefix + part;
            int remainder = part;
            parts.add(() -> prepare(gid, sql, merge.listId(), jobExecutionId, merge.parts(), remainder));
        }
        try {
            SideBySide.runAll("lead-merge-" + merge.instanceId() + "-part", parts);
        }
        catch (Exception | Error failure) {
            for (String gid : preparedParts(jdbc, merge.instanceId())) {
                try {
                    finish(gid, false);
                }
                catch (RuntimeException ex) {
                    failure.addSuppressed(ex);   // left for the restart or the next sweep
                }
            }
            throw failure;
        }
    }

    /** One part: its rows inserted and prepared, on a connection of its own. */
    private Void prepare(String gid, String sql, long listId, long jobExecutionId, int parts, int remainder)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            boolean prepared = false;
            try {
                try (PreparedStatement insert = connection.prepareStatement(sql)) {
                    insert.setLong(1, listId);
                    insert.setLong(2, jobExecutionId);
                    insert.setInt(3, parts);
                    insert.setInt(4, remainder);
                    insert.executeUpdate();
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("PREPARE TRANSACTION '" + gid + "'");
                }
                prepared = true;
            }
            finally {
                if (!prepared) {
                    // whatever failed (an Error too): restoring auto-commit below would commit an open transaction
                    connection.rollback();
                }
                // after PREPARE the session is out of its transaction; the pool gets it back in auto-commit
                connection.setAutoCommit(true);
            }
        }
        return null;
    }

    /**
     * Finishes the parts crashes left behind, of any import whose coordinator's lock is free: committed when its
     * merge decided, rolled back when not. Runs at start-up, before Flyway's migrations ({@link
     * LeadMergePartsBeforeMigrations}), and before every merge; a part it cannot finish is logged and left for
     * the next time.
     */
    void finishAbandoned() {
        finishAbandoned(dataSource);
    }

    static void finishAbandoned(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            JdbcTemplate own = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
            Set<Long> imports = new TreeSet<>();
            for (String gid : own.queryForList("SELECT gid FROM pg_prepared_xacts WHERE database = current_database() "
                    + "AND gid LIKE ?", String.class, GID_PREFIX + "%")) {
                Matcher matcher = GID.matcher(gid);
                if (matcher.matches()) {
                    imports.add(Long.parseLong(matcher.group(1)));
                }
            }
            for (long instanceId : imports) {
                if (!Boolean.TRUE.equals(own.queryForObject("SELECT pg_try_advisory_lock(?, ?)", Boolean.class,
                        COORDINATOR_LOCK, (int) instanceId))) {
                    continue;   // its merge is running
                }
                try {
                    boolean decided = find(own, instanceId).map(Merge::committed).orElse(false);
                    for (String gid : preparedParts(own, instanceId)) {
                        log.warn("{} the lead import part {} that a crash left prepared",
                                decided ? "Committing" : "Rolling back", gid);
                        finish(dataSource, gid, decided);
                    }
                }
                finally {
                    own.queryForObject("SELECT pg_advisory_unlock(?, ?)", Boolean.class, COORDINATOR_LOCK,
                            (int) instanceId);
                }
            }
        }
        catch (SQLException | RuntimeException ex) {
            log.error("Could not finish the lead import parts that crashes left prepared; the next merge tries again",
                    ex);
        }
    }

    private static Optional<Merge> find(JdbcTemplate jdbc, long instanceId) {
        return jdbc.query("SELECT job_instance_id, list_id, parts, staged, dnc, duplicates, committed "
                + "FROM lead_import_merges WHERE job_instance_id = ?", (rs, row) -> new Merge(rs.getLong(1),
                        rs.getLong(2), rs.getInt(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getBoolean(7)),
                instanceId).stream().findFirst();
    }

    private static List<String> preparedParts(JdbcTemplate jdbc, long instanceId) {
        return jdbc.queryForList("SELECT gid FROM pg_prepared_xacts WHERE database = current_database() "
                + "AND gid LIKE ? ORDER BY gid", String.class, gidPrefix(jdbc, instanceId) + "%");
    }

    /** The prefix of this import's parts: the database's oid makes it unique on a server holding several. */
    private static String gidPrefix(JdbcTemplate jdbc, long instanceId) {
        return GID_PREFIX + jdbc.queryForObject("SELECT oid FROM pg_database WHERE datname = current_database()",
                Long.class) + "-" + instanceId + "-";
    }

    private void finish(String gid, boolean commit) {
        finish(dataSource, gid, commit);
    }

    /** COMMIT or ROLLBACK PREPARED, which runs outside any transaction: on a connection of its own. */
    private static void finish(DataSource dataSource, String gid, boolean commit) {
        if (!GID.matcher(gid).matches()) {
            throw new IllegalArgumentException("not a lead merge part: " + gid);
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute((commit ? "COMMIT" : "ROLLBACK") + " PREPARED '" + gid + "'");
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not " + (commit ? "commit" : "roll back") + " the lead import part "
                    + gid + ": " + ex.getMessage(), ex);
        }
    }
}
