package io.capconduit.leads;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
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
 * A crash between PREPARE and COMMIT PREPARED leaves parts prepared (they hold their rows and keep VACUUM from
 * cleaning up behind them). They are finished by the import's restart, by the next merge and at start-up:
 * committed when the decision was recorded, rolled back when it was not and the part is older than any merge's
 * wait for its slowest part.
 */
@Component
class LeadMergeParts {

    private static final Logger log = LoggerFactory.getLogger(LeadMergeParts.class);
    private static final String GID_PREFIX = "capconduit-lead-merge-";
    private static final Pattern GID = Pattern.compile(Pattern.quote(GID_PREFIX) + "([0-9]+)-[0-9]+");
    /** An undecided part older than this was left by a crash: a live merge decides once its slowest part is in. */
    private static final String ABANDONED_AFTER = "1 hour";

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
     * Whether a merge of this many staged rows runs in parts: a large one, when PostgreSQL allows enough prepared
     * transactions ({@code max_prepared_transactions}, 0 unless configured).
     */
    boolean inParts(long staged) {
        int parts = properties.mergeParts();
        return parts > 1 && staged >= properties.mergePartsFromRows() && jdbc.queryForObject(
                "SELECT current_setting('max_prepared_transactions')::integer", Integer.class) >= parts;
    }

    /**
     * The merge an earlier attempt of this import recorded, if any, after finishing the parts it left prepared:
     * committed if it had decided, rolled back if not. Spring Batch runs one execution of an import at a time, so
     * none of them belongs to a merge still running.
     */
    Optional<Merge> resume(long instanceId) {
        finishAbandoned();
        Optional<Merge> merge = find(instanceId);
        boolean decided = merge.map(Merge::committed).orElse(false);
        for (String gid : preparedParts(GID_PREFIX + instanceId + "-%")) {
            finish(gid, decided);
        }
        return merge;
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
     * For a merge resumed before its decision: drops the staged numbers the list received in the meantime (another
     * import may have merged into it while this one was stopped), counted as duplicates.
     */
    Merge refilter(Merge merge) {
        return separately.execute(status -> {
            long more = jdbc.update("DELETE FROM " + StagingTasklet.stageTable(merge.instanceId()) + " s USING leads l "
                    + "WHERE l.list_id = ? AND l.phone = s.phone", merge.listId());
            jdbc.update("UPDATE lead_import_merges SET duplicates = duplicates + ? WHERE job_instance_id = ?", more,
                    merge.instanceId());
            return new Merge(merge.instanceId(), merge.listId(), merge.parts(), merge.staged(), merge.dnc(),
                    merge.duplicates() + more, false);
        });
    }

    /** Inserts the filtered rows, one part per connection, and commits the parts once all are prepared. */
    void insert(Merge merge, long jobExecutionId) throws Exception {
        prepareParts(merge, jobExecutionId);
        separately.executeWithoutResult(status -> jdbc.update(
                "UPDATE lead_import_merges SET committed = true WHERE job_instance_id = ?", merge.instanceId()));
        for (int part = 0; part < merge.parts(); part++) {
            finish(gid(merge.instanceId(), part), true);
        }
    }

    /** Every part inserted and prepared; if one fails, the others are rolled back and its failure thrown. */
    void prepareParts(Merge merge, long jobExecutionId) throws Exception {
        String sql = LeadMergeTasklet.insert(StagingTasklet.stageTable(merge.instanceId())) + " WHERE row_number % ? = ?";
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(merge.parts(),
                task -> new Thread(task, "lead-merge-" + merge.instanceId() + "-part-" + threads.getAndIncrement()));
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int part = 0; part < merge.parts(); part++) {
                String gid = gid(merge.instanceId(), part);
                int remainder = part;
                running.add(pool.submit(() -> prepare(gid, sql, merge.listId(), jobExecutionId, merge.parts(),
                        remainder)));
            }
        }
        finally {
            pool.shutdown();
        }
        Throwable failure = awaitAll(running);
        if (failure != null) {
            for (String gid : preparedParts(GID_PREFIX + merge.instanceId() + "-%")) {
                finish(gid, false);
            }
            if (failure instanceof Exception exception) {
                throw exception;
            }
            throw (Error) failure;
        }
    }

    /** One part: its rows inserted and prepared, on a connection of its own. */
    private Void prepare(String gid, String sql, long listId, long jobExecutionId, int parts, int remainder)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
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
            }
            catch (SQLException | RuntimeException ex) {
                connection.rollback();
                throw ex;
            }
            finally {
                // the session is out of its transaction after PREPARE; the pool gets it back in auto-commit
                connection.setAutoCommit(true);
            }
        }
        return null;
    }

    /** Waits for every part, even after one failed or this thread was interrupted; the first failure, if any. */
    private static Throwable awaitAll(List<Future<?>> running) {
        Throwable failure = null;
        boolean interrupted = false;
        for (Future<?> part : running) {
            while (true) {
                try {
                    part.get();
                    break;
                }
                catch (ExecutionException ex) {
                    failure = failure == null ? ex.getCause() : failure;
                    break;
                }
                catch (InterruptedException ex) {
                    interrupted = true;
                    failure = failure == null ? ex : failure;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return failure;
    }

    /**
     * Finishes the parts crashes left behind, of any import: committed when their merge decided, rolled back when
     * it did not and they are older than {@value #ABANDONED_AFTER}. Runs at start-up and before every merge.
     */
    @EventListener(ApplicationReadyEvent.class)
    void finishAbandoned() {
        List<String> old = jdbc.queryForList("SELECT gid FROM pg_prepared_xacts WHERE database = current_database() "
                + "AND gid LIKE ? AND prepared < now() - interval '" + ABANDONED_AFTER + "'", String.class,
                GID_PREFIX + "%");
        for (String gid : preparedParts(GID_PREFIX + "%")) {
            Matcher matcher = GID.matcher(gid);
            if (!matcher.matches()) {
                continue;
            }
            boolean decided = find(Long.parseLong(matcher.group(1))).map(Merge::committed).orElse(false);
            if (decided || old.contains(gid)) {
                log.warn("{} the lead import part {} that a crash left prepared", decided ? "Committing" : "Rolling back",
                        gid);
                finish(gid, decided);
            }
        }
    }

    private Optional<Merge> find(long instanceId) {
        return jdbc.query("SELECT job_instance_id, list_id, parts, staged, dnc, duplicates, committed "
                + "FROM lead_import_merges WHERE job_instance_id = ?", (rs, row) -> new Merge(rs.getLong(1),
                        rs.getLong(2), rs.getInt(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getBoolean(7)),
                instanceId).stream().findFirst();
    }

    private List<String> preparedParts(String pattern) {
        return jdbc.queryForList("SELECT gid FROM pg_prepared_xacts WHERE database = current_database() "
                + "AND gid LIKE ? ORDER BY gid", String.class, pattern);
    }

    private static String gid(long instanceId, int part) {
        return GID_PREFIX + instanceId + "-" + part;
    }

    /**
     * COMMIT or ROLLBACK PREPARED, which runs outside any transaction: on a connection of its own. A part another
     * instance finished in the meantime is done already.
     */
    private void finish(String gid, boolean commit) {
        if (!GID.matcher(gid).matches()) {
            throw new IllegalArgumentException("not a lead merge part: " + gid);
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute((commit ? "COMMIT" : "ROLLBACK") + " PREPARED '" + gid + "'");
        }
        catch (SQLException ex) {
            if (!"42704".equals(ex.getSQLState())) {   // undefined_object: no such prepared transaction (any more)
                throw new IllegalStateException("Could not " + (commit ? "commit" : "roll back") + " the lead import "
                        + "part " + gid + ": " + ex.getMessage(), ex);
            }
        }
    }
}
