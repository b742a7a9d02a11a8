package io.capconduit.calls;

import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/** Call logs of the demo data's campaigns with recordings, as CDR reconciliation writes them, for the tests. */
final class RecordedCallLogs {

    private RecordedCallLogs() {
    }

    /** An answered call log of {@code campaign}'s seller, {@code direction} INBOUND or OUTBOUND. */
    static long callLog(JdbcTemplate jdbc, String campaign, String direction) {
        return jdbc.queryForObject("INSERT INTO call_logs (linked_id, direction, seller_id, campaign_id, start_time, "
                + "disposition) SELECT ?, ?, seller_id, id, now(), 'ANSWERED' FROM campaigns WHERE name = ? "
                + "RETURNING id", Long.class, "recorded-" + UUID.randomUUID(), direction, campaign);
    }

    /** A recording of the call log, its file {@code fileName} (relative to the recordings folder). */
    static long recording(JdbcTemplate jdbc, long callLog, String fileName) {
        return jdbc.queryForObject("INSERT INTO recordings (linked_id, call_log_id, file_name) SELECT linked_id, id, ? "
                + "FROM call_logs WHERE id = ? RETURNING id", Long.class, fileName, callLog);
    }
}
