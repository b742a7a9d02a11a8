package io.capconduit.calls;

import java.util.List;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** The set-based SQL of CDR reconciliation, one cdr id range (from, to] at a time (long ones in the XML). */
@Mapper
interface CdrReconciliationMapper {

    /** Locks the checkpoint row, so two runs (a schedule and a run-now) never reconcile the same range. */
    @Select(CdrCheckpoint.READ + " FOR UPDATE")
    Long lockCheckpoint();

    /** Cheap test (max(id) reads the primary key's last entry; EXISTS (id > ...) may seq scan) run before any step work, so a run with nothing new is short. */
    @Select("SELECT coalesce((SELECT max(id) FROM cdr), 0) > k.last_id OR " + IDS_RESTARTED
            + " FROM (" + CdrCheckpoint.READ + ") k(last_id)")
    boolean hasRowsAfterCheckpoint();

    /**
     * Whether cdr's ids were handed out again below the checkpoint {@code k.last_id}: the id sequence is behind
     * it (a {@code TRUNCATE cdr RESTART IDENTITY}, a restore). Exact: in service every committed id, and so the
     * checkpoint, is at most the sequence's last value. Rows written since would otherwise wait, unread, until
     * their ids passed the checkpoint.
     */
    String IDS_RESTARTED = "(SELECT last_value FROM cdr_id_seq) < k.last_id";

    /** The id sequence's last value: below the checkpoint when ids restarted ({@link #IDS_RESTARTED}). */
    @Select("SELECT last_value FROM cdr_id_seq")
    long lastIdGiven();

    /** Memory for the range's sorts and hash tables (one per transaction; about 50 MB for 250,000 rows). */
    @Update("SET LOCAL work_mem = '96MB'")
    void raiseWorkMem();

    @Update("UPDATE app_state SET value = #{to}::text, updated_at = now() WHERE key = 'cdr_reconciliation_last_id'")
    void saveCheckpoint(@Param("to") long to);

    /**
     * Tells every app instance's call events (CallEvents) that the calls of cdr ids (from, to] have their logs, when
     * the caller's transaction commits: one notification per range, whatever its number of calls.
     */
    @Select("SELECT 1 FROM (SELECT pg_notify('" + CallEvents.CHANNEL + "', json_build_object('s', 'LOGS', "
            + "'from', #{from}::bigint, 'to', #{to}::bigint)::text)) sent")
    int announceCallLogs(@Param("from") long from, @Param("to") long to);

    /**
     * The highest id up to which every new row ended, or was written (the database's clock), at least
     * graceSeconds ago: younger rows wait, so the other legs of their call can arrive first. Only the next chunkSize ids are tested for age (the range
     * ends there anyway; a young row beyond it is found by the next range), so a long backlog is not read
     * once per range; the result is then max(id), which keeps the step CONTINUABLE.
     */
    long readyUpTo(@Param("from") long from, @Param("chunkSize") int chunkSize, @Param("graceSeconds") int graceSeconds);

    /** How long {@link #waitForCdrInserts} may wait: longer than any autocommit insert of one cdr row. */
    @Update("SET LOCAL lock_timeout = '5s'")
    void boundLockWait();

    /**
     * Waits until no transaction is inserting into cdr (SHARE conflicts with an insert's ROW EXCLUSIVE) and holds
     * new inserts back until the caller's transaction ends. An insert takes its id after its lock, so from then
     * on every id up to {@link #maxId} is either visible or never will be (a rolled-back insert).
     */
    @Update("LOCK TABLE cdr IN SHARE MODE")
    void waitForCdrInserts();

    @Select("SELECT coalesce(max(id), 0) FROM cdr")
    long maxId();

    int countRows(@Param("from") long from, @Param("to") long to);

    int rejectBadRows(@Param("from") long from, @Param("to") long to, @Param("executionId") long executionId);

    /** The first {@code limit} rows of the range this execution rejected, each as "cdr ID: reason". */
    @Select("SELECT 'cdr ' || cdr_id || ': ' || left(reason, 200) FROM cdr_rejects"
            + " WHERE cdr_id > #{from} AND cdr_id <= #{to} AND job_execution_id = #{executionId} ORDER BY cdr_id LIMIT #{limit}")
    List<String> rejectReasons(@Param("from") long from, @Param("to") long to, @Param("executionId") long executionId,
            @Param("limit") int limit);

    /**
     * The calls of one share of the range (the linked ids whose hash modulo {@code shares} is {@code share}), as
     * the range's rows tell them, into the temporary table cdr_range_calls, dropped when the transaction commits.
     */
    void collectRangeCalls(@Param("from") long from, @Param("to") long to, @Param("share") int share,
            @Param("shares") int shares);

    /**
     * Call logs inserted or rebuilt (and the recordings of the range's rows) for the calls collectRangeCalls
     * just collected, in the same transaction.
     */
    int upsertCallLogs(@Param("from") long from, @Param("to") long to, @Param("share") int share,
            @Param("shares") int shares);

    int keepRejectedRecordings(@Param("from") long from, @Param("to") long to);

    int settleOutboundQueue(@Param("from") long from, @Param("to") long to);

    /** Dialer calls settled as unanswered whose lead's leg in (from, to] says it answered: settled as answered. */
    int correctLostAnswers(@Param("from") long from, @Param("to") long to);

    int releaseRouteClaims(@Param("from") long from, @Param("to") long to);

    /**
     * The cdr rows after the checkpoint, counted up to {@code limit}, and when the oldest of those was written: the
     * primary key's range from the checkpoint, at most {@code limit} entries, so a health poll stays cheap however
     * far behind the reconciler is.
     */
    @Select("SELECT count(*) AS unreconciled, min(b.inserted_at) AS oldest_inserted_at FROM (SELECT c.inserted_at "
            + "FROM cdr c WHERE c.id > (" + CdrCheckpoint.READ + ") "
            + "ORDER BY c.id LIMIT #{limit}) b")
    CdrBacklog backlog(@Param("limit") int limit);
}
