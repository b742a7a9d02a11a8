package io.capconduit.calls;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** Writes cdr rows the way cdr_adaptive_odbc does (UTC times, 1970-01-01 answer when unanswered). */
final class CdrRows {

    private final NamedParameterJdbcTemplate jdbc;

    CdrRows(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A leg with the given values; campaign and client are names, looked up like the dialplan stamps ids. */
    Leg leg(String linkedId) {
        return new Leg(linkedId);
    }

    final class Leg {
        private final Map<String, Object> values = new HashMap<>();

        private Leg(String linkedId) {
            values.put("linkedid", linkedId);
            values.put("uniqueid", linkedId);
            values.put("direction", "INBOUND");
            values.put("campaign", null);
            values.put("client", null);
            values.put("did", null);
            values.put("disposition", "NO ANSWER");
            values.put("duration", 20);
            values.put("billsec", 0);
            values.put("route_status", "ROUTED");
            values.put("unrouted_reason", null);
            values.put("campaign_id", null);
            values.put("seller_id", null);
            values.put("queue_entry_id", null);
            values.put("lead_id", null);
            values.put("agent_id", null);
            values.put("recording_file", null);
            values.put("targets_tried", null);
            values.put("userfield", null);
            values.put("dcontext", null);
            values.put("dialed_number", null);
            values.put("dialed_answered_at", null);
            values.put("caller_answered", null);
            Instant start = Instant.now().minusSeconds(600);
            times(start, null, start.plusSeconds(20));
        }

        Leg set(String column, Object value) {
            values.put(column, value);
            return this;
        }

        Leg times(Instant start, Instant answer, Instant end) {
            values.put("start", utc(start));
            values.put("answer", answer == null ? LocalDateTime.of(1970, 1, 1, 0, 0) : utc(answer));
            values.put("end", utc(end));
            return this;
        }

        Leg answered(Instant start, Instant answer, Instant end) {
            times(start, answer, end);
            values.put("disposition", "ANSWERED");
            values.put("duration", (int) (end.getEpochSecond() - start.getEpochSecond()));
            values.put("billsec", (int) (end.getEpochSecond() - answer.getEpochSecond()));
            return this;
        }

        /**
         * A leg naming a buyer dialed it, so it names the buyer's channel too, unless {@code dstchannel} was set
         * (a Party-A-only row: ''); its dst is the DID unless set.
         */
        long insert() {
            Object client = values.get("client");
            values.putIfAbsent("dstchannel", client == null ? "" : "PJSIP/" + client + "-00000001");
            values.putIfAbsent("dst", values.get("did"));
            return jdbc.queryForObject("""
                    INSERT INTO cdr (src, dst, start, answer, "end", duration, billsec, disposition, uniqueid, linkedid,
                                     direction, campaign_id, client_id, setting_id, seller_id, did, targets_tried,
                                     route_status, unrouted_reason, queue_entry_id, lead_id, recording_file,
                                     userfield, dcontext, dstchannel, agent_id, dialed_number, dialed_answered_at,
                                     caller_answered)
                    SELECT '+12125550100', :dst, :start, :answer, :end, :duration, :billsec, :disposition, :uniqueid,
                           :linkedid, :direction,
                           coalesce(:campaign_id, (SELECT id::text FROM campaigns WHERE name = :campaign)),
                           (SELECT id::text FROM clients WHERE name = :client),
                           (SELECT s.id::text FROM campaign_client_settings s JOIN campaigns cp ON cp.id = s.campaign_id
                              JOIN clients cl ON cl.id = s.client_id WHERE cp.name = :campaign AND cl.name = :client),
                           coalesce(:seller_id, (SELECT seller_id::text FROM campaigns WHERE name = :campaign)),
                           :did, :targets_tried, :route_status, :unrouted_reason, :queue_entry_id, :lead_id,
                           :recording_file, :userfield, :dcontext, :dstchannel, :agent_id, :dialed_number,
                           :dialed_answered_at, :caller_answered
                    RETURNING id""", values, Long.class);
        }
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
