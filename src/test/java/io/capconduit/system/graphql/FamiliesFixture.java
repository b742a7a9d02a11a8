package io.capconduit.system.graphql;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rows of every kind the API lists, as "families": family {@code g} is a seller with an inbound and an outbound
 * campaign, a buyer with business hours, a trunk, a DID, a lead list, an agent, call logs with their cdr rows and a
 * recording, a cdr reject, a DNC number, an Asterisk server, a user, an API token, a hopper fill run and a batch job
 * execution with its parameters and steps, each linked to the others as far as the schema links them. Lists scoped
 * to one parent (a list's leads, a campaign's queue) grow under family 1's: its list, its outbound campaign and its
 * inbound campaign's DID each gain a row per family.
 */
final class FamiliesFixture {

    private final JdbcTemplate jdbc;

    FamiliesFixture(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds families {@code from} to {@code to}, both included. */
    void add(int from, int to) {
        String[] statements = {
            "INSERT INTO sellers (name) SELECT 'n1 seller ' || g FROM generate_series(:from, :to) g",
            "INSERT INTO clients (name, endpoint, sip_host) SELECT 'n1 client ' || g, 'n1-client-' || g, 'sbc' || g || '.example' FROM generate_series(:from, :to) g",
            "INSERT INTO client_schedules (client_id, day_of_week, open_time, close_time) SELECT c.id, d, '08:00', '18:00' FROM generate_series(:from, :to) g JOIN clients c ON c.name = 'n1 client ' || g CROSS JOIN generate_series(1, 2) d",
            "INSERT INTO trunks (name, endpoint, host, match_ips) SELECT 'n1 trunk ' || g, 'n1-trunk-' || g, 'carrier' || g || '.example', '{192.0.2.1/32}' FROM generate_series(:from, :to) g",
            "INSERT INTO campaigns (seller_id, name) SELECT s.id, 'n1 inbound ' || g FROM generate_series(:from, :to) g JOIN sellers s ON s.name = 'n1 seller ' || g",
            "INSERT INTO campaigns (seller_id, name, direction, trunk_id, caller_id) SELECT s.id, 'n1 outbound ' || g, 'OUTBOUND', t.id, '+18005550199' FROM generate_series(:from, :to) g JOIN sellers s ON s.name = 'n1 seller ' || g JOIN trunks t ON t.name = 'n1 trunk ' || g",
            // each family's buyer takes its own inbound campaign's calls and family 1's
            "INSERT INTO campaign_client_settings (campaign_id, client_id, total_cap) SELECT cp.id, c.id, 100 FROM generate_series(:from, :to) g JOIN clients c ON c.name = 'n1 client ' || g JOIN campaigns cp ON cp.name IN ('n1 inbound ' || g, 'n1 inbound 1') ON CONFLICT DO NOTHING",
            "INSERT INTO dids (number, seller_id, campaign_id) SELECT '+1917555' || lpad(g::text, 4, '0'), cp.seller_id, cp.id FROM generate_series(:from, :to) g JOIN campaigns cp ON cp.name = 'n1 inbound ' || g",
            "INSERT INTO lead_lists (seller_id, name) SELECT s.id, 'n1 list ' || g FROM generate_series(:from, :to) g JOIN sellers s ON s.name = 'n1 seller ' || g",
            "INSERT INTO campaign_lead_lists (campaign_id, list_id) SELECT cp.id, l.id FROM generate_series(:from, :to) g JOIN campaigns cp ON cp.name = 'n1 outbound ' || g JOIN lead_lists l ON l.name = 'n1 list ' || g",
            "INSERT INTO leads (list_id, phone, time_zone, first_name, status) SELECT l.id, '+1646555' || lpad(g::text, 4, '0'), 'America/New_York', 'Lead ' || g, 'QUEUED' FROM generate_series(:from, :to) g JOIN lead_lists l ON l.name = 'n1 list 1'",
            "INSERT INTO agents (name, extension, endpoint, state) SELECT 'n1 agent ' || g, '7' || lpad(g::text, 3, '0'), 'agent-7' || lpad(g::text, 3, '0'), 'AVAILABLE' FROM generate_series(:from, :to) g",
            "INSERT INTO agent_campaigns (agent_id, campaign_id) SELECT a.id, cp.id FROM generate_series(:from, :to) g JOIN agents a ON a.name = 'n1 agent ' || g JOIN campaigns cp ON cp.name IN ('n1 outbound ' || g, 'n1 outbound 1') ON CONFLICT DO NOTHING",
            "INSERT INTO asterisk_servers (name, host, ami_username, ami_secret, system_name) SELECT 'n1 pbx ' || g, '127.0.0.1', 'capconduit', 'secret-' || g, 'n1pbx' || g FROM generate_series(:from, :to) g",
            "INSERT INTO outbound_queue (campaign_id, lead_id, agent_id, server_id, channel_id) SELECT cp.id, ld.id, a.id, srv.id, 'n1-channel-' || g FROM generate_series(:from, :to) g JOIN campaigns cp ON cp.name = 'n1 outbound 1' JOIN leads ld ON ld.phone = '+1646555' || lpad(g::text, 4, '0') JOIN agents a ON a.name = 'n1 agent ' || g JOIN asterisk_servers srv ON srv.name = 'n1 pbx ' || g",
            "INSERT INTO call_logs (linked_id, direction, seller_id, campaign_id, did_id, did_number, caller_id, client_id, setting_id, clients_tried, targets_tried, start_time, answer_time, end_time, duration, billsec, disposition, billable, recording_file, cdr_rows) "
                + "SELECT 'n1-in-' || g, 'INBOUND', cp.seller_id, cp.id, d.id, d.number, '+12125550100', st.client_id, st.id, ARRAY[st.client_id], 1, now() - g * interval '1 minute', now() - g * interval '1 minute', now(), 60, 55, 'ANSWERED', true, 'n1-in-' || g || '.wav', 1 "
                + "FROM generate_series(:from, :to) g JOIN campaigns cp ON cp.name = 'n1 inbound ' || g JOIN dids d ON d.campaign_id = cp.id JOIN campaign_client_settings st ON st.campaign_id = cp.id",
            "INSERT INTO call_logs (linked_id, direction, seller_id, campaign_id, agent_id, lead_id, destination, start_time, end_time, duration, disposition, cdr_rows) "
                + "SELECT 'n1-out-' || g, 'OUTBOUND', cp.seller_id, cp.id, a.id, ld.id, ld.phone, now() - g * interval '1 minute', now(), 30, 'NO ANSWER', 1 "
                + "FROM generate_series(:from, :to) g JOIN campaigns cp ON cp.name = 'n1 outbound ' || g JOIN agents a ON a.name = 'n1 agent ' || g JOIN leads ld ON ld.phone = '+1646555' || lpad(g::text, 4, '0')",
            "INSERT INTO recordings (linked_id, call_log_id, file_name) SELECT cl.linked_id, cl.id, cl.linked_id || '.wav' FROM generate_series(:from, :to) g JOIN call_logs cl ON cl.linked_id IN ('n1-in-' || g, 'n1-out-' || g)",
            "INSERT INTO cdr (src, dst, dcontext, channel, lastapp, start, answer, \"end\", duration, billsec, disposition, uniqueid, linkedid, sequence, direction, campaign_id, setting_id, client_id, seller_id, did, route_status) "
                + "SELECT cl.caller_id, 's', 'inbound-route', 'PJSIP/n1-' || g, 'Dial', (now() - g * interval '1 minute') AT TIME ZONE 'UTC', (now() - g * interval '1 minute') AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', 60, 55, 'ANSWERED', cl.linked_id, cl.linked_id, g, 'INBOUND', cl.campaign_id::text, cl.setting_id::text, cl.client_id::text, cl.seller_id::text, cl.did_number, 'ROUTED' "
                + "FROM generate_series(:from, :to) g JOIN call_logs cl ON cl.linked_id = 'n1-in-' || g",
            "INSERT INTO cdr_rejects (cdr_id, linked_id, reason) SELECT 900000000 + g, 'n1-rejected-' || g, 'duration: negative (-5)' FROM generate_series(:from, :to) g",
            "INSERT INTO dnc_numbers (phone, reason) SELECT '+1332555' || lpad(g::text, 4, '0'), 'asked' FROM generate_series(:from, :to) g",
            "INSERT INTO users (username, password_hash, role, seller_id) SELECT 'n1-seller-' || g, 'not a hash', 'SELLER', s.id FROM generate_series(:from, :to) g JOIN sellers s ON s.name = 'n1 seller ' || g",
            "INSERT INTO api_tokens (user_id, name, token_hash) SELECT u.id, 'n1 token ' || g, sha256(('n1 token ' || g)::bytea) FROM generate_series(:from, :to) g JOIN users u ON u.role = 'ADMIN'",
            "INSERT INTO hopper_fill_runs (campaign_id, lead_lists, hopper_level, queued_before, closed_leads, excluded_max_attempts, excluded_dnc, excluded_already_queued, excluded_retry_delay, excluded_call_window, inserted, zones_in_window, duration_ms) "
                + "SELECT cp.id, 1, 100, 0, 0, 0, 0, 0, 0, 0, 1, 5, 3 FROM generate_series(:from, :to) g JOIN campaigns cp ON cp.name = 'n1 outbound 1'",
            "INSERT INTO batch_job_instance (job_instance_id, version, job_name, job_key) SELECT nextval('batch_job_instance_seq'), 0, 'cdrReconciliationJob', md5('n1 ' || g) FROM generate_series(:from, :to) g",
            "INSERT INTO batch_job_execution (job_execution_id, version, job_instance_id, create_time, start_time, end_time, status, exit_code, last_updated) "
                + "SELECT nextval('batch_job_execution_seq'), 1, i.job_instance_id, localtimestamp, localtimestamp, localtimestamp, 'COMPLETED', 'COMPLETED', localtimestamp FROM generate_series(:from, :to) g JOIN batch_job_instance i ON i.job_key = md5('n1 ' || g)",
            "INSERT INTO batch_job_execution_params (job_execution_id, parameter_name, parameter_type, parameter_value, identifying) "
                + "SELECT e.job_execution_id, 'firedAt', 'java.lang.String', g::text, 'Y' FROM generate_series(:from, :to) g JOIN batch_job_instance i ON i.job_key = md5('n1 ' || g) JOIN batch_job_execution e ON e.job_instance_id = i.job_instance_id",
            "INSERT INTO batch_step_execution (step_execution_id, version, step_name, job_execution_id, create_time, start_time, end_time, status, commit_count, read_count, filter_count, write_count, read_skip_count, write_skip_count, process_skip_count, rollback_count, exit_code, last_updated) "
                + "SELECT nextval('batch_step_execution_seq'), 1, 'reconcile', e.job_execution_id, localtimestamp, localtimestamp, localtimestamp, 'COMPLETED', 1, 1, 0, 1, 0, 0, 0, 0, 'COMPLETED', localtimestamp FROM generate_series(:from, :to) g JOIN batch_job_instance i ON i.job_key = md5('n1 ' || g) JOIN batch_job_execution e ON e.job_instance_id = i.job_instance_id",
        };
        for (String statement : statements) {
            jdbc.update(statement.replace(":from", Integer.toString(from)).replace(":to", Integer.toString(to)));
        }
    }

    /** One completed execution of each of these jobs, with a parameter and a step. */
    void executionOfEach(List<String> jobNames) {
        for (String job : jobNames) {
            jdbc.update("INSERT INTO batch_job_instance (job_instance_id, version, job_name, job_key) "
                    + "VALUES (nextval('batch_job_instance_seq'), 0, ?, md5('n1 each ' || ?))", job, job);
            jdbc.update("INSERT INTO batch_job_execution (job_execution_id, version, job_instance_id, create_time, "
                    + "start_time, end_time, status, exit_code, last_updated) SELECT nextval('batch_job_execution_seq'), "
                    + "1, job_instance_id, localtimestamp, localtimestamp, localtimestamp, 'COMPLETED', 'COMPLETED', "
                    + "localtimestamp FROM batch_job_instance WHERE job_name = ? AND job_key = md5('n1 each ' || ?)", job, job);
            jdbc.update("INSERT INTO batch_job_execution_params (job_execution_id, parameter_name, parameter_type, "
                    + "parameter_value, identifying) SELECT currval('batch_job_execution_seq'), 'firedAt', "
                    + "'java.lang.String', 'now', 'Y'");
            jdbc.update("INSERT INTO batch_step_execution (step_execution_id, version, step_name, job_execution_id, "
                    + "create_time, status, exit_code) SELECT nextval('batch_step_execution_seq'), 1, 'step', "
                    + "currval('batch_job_execution_seq'), localtimestamp, 'COMPLETED', 'COMPLETED'");
        }
    }

    /** A new completed execution of {@code job} with {@code steps} steps; its id. */
    long executionWithSteps(String job, int steps) {
        String key = "n1 steps " + steps + " " + System.nanoTime();
        jdbc.update("INSERT INTO batch_job_instance (job_instance_id, version, job_name, job_key) "
                + "VALUES (nextval('batch_job_instance_seq'), 0, ?, md5(?))", job, key);
        long id = jdbc.queryForObject("INSERT INTO batch_job_execution (job_execution_id, version, job_instance_id, "
                + "create_time, start_time, end_time, status, exit_code, last_updated) SELECT "
                + "nextval('batch_job_execution_seq'), 1, job_instance_id, localtimestamp, localtimestamp, localtimestamp, "
                + "'COMPLETED', 'COMPLETED', localtimestamp FROM batch_job_instance WHERE job_key = md5(?) "
                + "RETURNING job_execution_id", Long.class, key);
        for (int step = 0; step < steps; step++) {
            jdbc.update("INSERT INTO batch_step_execution (step_execution_id, version, step_name, "
                    + "job_execution_id, create_time, status, exit_code) VALUES (nextval('batch_step_execution_seq'), 1, "
                    + "?, ?, localtimestamp, 'COMPLETED', 'COMPLETED')", "step" + step, id);
        }
        return id;
    }

    /** The arguments that scope a list to family 1's parent, by argument name. */
    Map<String, Object> scopes() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return Map.of(
                "listId", id("SELECT id FROM lead_lists WHERE name = 'n1 list 1'"),
                "campaignId", id("SELECT id FROM campaigns WHERE name = 'n1 outbound 1'"),
                "did", "+19175550001",
                "from", today.minusDays(2).toString(),
                "to", today.plusDays(1).toString());
    }

    private String id(String sql) {
        return String.valueOf(jdbc.queryForObject(sql, Long.class));
    }
}
