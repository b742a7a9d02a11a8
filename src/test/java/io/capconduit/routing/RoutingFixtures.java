package io.capconduit.routing;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.jdbc.core.JdbcTemplate;

/** Sellers, campaigns, buyers, settings and DIDs of their own (unique names and numbers) for routing tests. */
final class RoutingFixtures {

    private static final AtomicLong SEQUENCE = new AtomicLong(ThreadLocalRandom.current().nextLong(100_000_000L));

    private final JdbcTemplate jdbc;

    RoutingFixtures(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet();
    }

    /** An inbound campaign of a new seller with one DID pointing at it. */
    InboundCampaign campaign(String strategy) {
        long seller = jdbc.queryForObject("INSERT INTO sellers (name) VALUES (?) RETURNING id", Long.class,
                unique("routing-seller"));
        long campaign = jdbc.queryForObject("INSERT INTO campaigns (seller_id, name, strategy, dial_timeout_seconds) "
                + "VALUES (?, ?, ?, 20) RETURNING id", Long.class, seller, unique("routing-campaign"), strategy);
        return new InboundCampaign(seller, campaign, did(seller, campaign));
    }

    /** A new DID (E.164, +19...) of the seller, assigned to the campaign (or none). */
    String did(long seller, Long campaign) {
        String number = "+19" + String.format("%09d", SEQUENCE.incrementAndGet() % 1_000_000_000L);
        jdbc.update("INSERT INTO dids (number, seller_id, campaign_id) VALUES (?, ?, ?)", number, seller, campaign);
        return number;
    }

    /** A buyer reached at a static SIP address; returns its endpoint name (client id via {@link #clientId}). */
    String client(String timeZone) {
        String endpoint = unique("client");
        jdbc.update("INSERT INTO clients (name, time_zone, endpoint, sip_mode, sip_host) VALUES (?, ?, ?, 'STATIC', "
                + "'sbc.example')", endpoint, timeZone, endpoint);
        return endpoint;
    }

    long clientId(String endpoint) {
        return jdbc.queryForObject("SELECT id FROM clients WHERE endpoint = ?", Long.class, endpoint);
    }

    long setting(long campaign, String clientEndpoint, int priority, int weight, int maxConcurrent, Integer totalCap,
            String capPeriod) {
        return jdbc.queryForObject("INSERT INTO campaign_client_settings (campaign_id, client_id, priority, weight, "
                + "max_concurrent, total_cap, cap_period) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", Long.class,
                campaign, clientId(clientEndpoint), priority, weight, maxConcurrent, totalCap, capPeriod);
    }

    /** A setting with room for anything: priority and weight as given, no cap. */
    long setting(long campaign, String clientEndpoint, int priority, int weight) {
        return setting(campaign, clientEndpoint, priority, weight, 1000, null, "DAY");
    }

    Map<String, Object> settingRow(long setting) {
        return jdbc.queryForMap("SELECT in_flight, cap_used, cap_window_start FROM campaign_client_settings "
                + "WHERE id = ?", setting);
    }

    int inFlight(long setting) {
        return ((Number) settingRow(setting).get("in_flight")).intValue();
    }

    int capUsed(long setting) {
        return ((Number) settingRow(setting).get("cap_used")).intValue();
    }

    record InboundCampaign(long sellerId, long id, String did) {
    }
}
