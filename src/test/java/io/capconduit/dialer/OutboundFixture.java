package io.capconduit.dialer;

import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/** Builds outbound test data with unique names: a seller's campaign with a list, leads, agents, a server. */
record OutboundFixture(JdbcTemplate jdbc, long sellerId, long campaignId, long listId) {

    static OutboundFixture create(JdbcTemplate jdbc, String sellerZone, String settings) {
        String name = "t-" + UUID.randomUUID();
        long seller = jdbc.queryForObject("INSERT INTO sellers (name, time_zone) VALUES (?, ?) RETURNING id",
                Long.class, name, sellerZone);
        long trunk = jdbc.queryForObject("INSERT INTO trunks (name, endpoint) VALUES (?, ?) RETURNING id",
                Long.class, name, "trunk-" + name);
        long campaign = jdbc.queryForObject("INSERT INTO campaigns (seller_id, name, direction, trunk_id, caller_id, "
                + "call_window_start, call_window_end) VALUES (?, ?, 'OUTBOUND', ?, '+18005550100', '00:00', '00:00') "
                + "RETURNING id", Long.class, seller, name, trunk);
        if (settings != null) {
            jdbc.update("UPDATE campaigns SET " + settings + " WHERE id = ?", campaign);
        }
        long list = jdbc.queryForObject("INSERT INTO lead_lists (seller_id, name) VALUES (?, ?) RETURNING id",
                Long.class, seller, name);
        jdbc.update("INSERT INTO campaign_lead_lists (campaign_id, list_id) VALUES (?, ?)", campaign, list);
        return new OutboundFixture(jdbc, seller, campaign, list);
    }

    long lead(String phone, String timeZone) {
        return jdbc.queryForObject("INSERT INTO leads (list_id, phone, time_zone) VALUES (?, ?, ?) RETURNING id",
                Long.class, listId, phone, timeZone);
    }

    /** A lead whose number may be in any of {@code zones}, as an import leaves it when nothing decided. */
    long leadInZones(String phone, String... zones) {
        return jdbc.queryForObject("INSERT INTO leads (list_id, phone, time_zone, time_zones) VALUES (?, ?, ?, ?) "
                + "RETURNING id", Long.class, listId, phone, zones[0], zones);
    }

    long queued(String phone) {
        long lead = lead(phone, null);
        jdbc.update("INSERT INTO outbound_queue (campaign_id, lead_id) VALUES (?, ?)", campaignId, lead);
        return lead;
    }

    long agent(String state) {
        return agent(state, String.valueOf(100000 + (long) (Math.random() * 9_000_000_000L)));
    }

    long agent(String state, String extension) {
        long agent = jdbc.queryForObject("INSERT INTO agents (name, extension, endpoint, state) VALUES (?, ?, ?, ?) "
                + "RETURNING id", Long.class, "Agent " + extension, extension, "agent-" + extension, state);
        jdbc.update("INSERT INTO agent_campaigns (agent_id, campaign_id) VALUES (?, ?)", agent, campaignId);
        return agent;
    }

    static long server(JdbcTemplate jdbc, int port, String secret) {
        return jdbc.queryForObject("INSERT INTO asterisk_servers (name, host, ami_port, ami_username, ami_secret, "
                + "max_calls_per_second, max_originates_in_flight) VALUES (?, '127.0.0.1', ?, 'capconduit', ?, 1000, "
                + "1000) RETURNING id", Long.class, "ami-" + UUID.randomUUID(), port, secret);
    }

    /** A random valid E.164 number. */
    static String phone() {
        return "+1555" + String.format("%07d", (long) (Math.random() * 10_000_000));
    }
}
