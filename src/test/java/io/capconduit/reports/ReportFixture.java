package io.capconduit.reports;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rows a report test owns: sellers (each with a SELLER user, password "demo"), campaigns, clients, DIDs and call
 * logs written straight into call_logs as CDR reconciliation would. Names carry a unique tag so tests sharing
 * the database never see each other's rows.
 */
final class ReportFixture {

    static final String DEMO_PASSWORD_HASH = "{bcrypt}$2a$10$GvSqlry0sXny5I497g.KfuKGwyvoKtSbk2oQ1k/b98Sun9Nv13Hhe";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    final JdbcTemplate jdbc;
    final String tag;

    ReportFixture(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.tag = "rpt" + System.nanoTime() % 1_000_000_000L + "-" + SEQUENCE.incrementAndGet();
    }

    /** A seller and its SELLER user named {@code <tag>-<name>}. */
    long seller(String name, String timeZone) {
        long id = jdbc.queryForObject("INSERT INTO sellers (name, time_zone) VALUES (?, ?) RETURNING id", Long.class,
                tag + "-" + name, timeZone);
        jdbc.update("INSERT INTO users (username, password_hash, role, seller_id) VALUES (?, ?, 'SELLER', ?)",
                username(name), DEMO_PASSWORD_HASH, id);
        return id;
    }

    String username(String sellerName) {
        return tag + "-" + sellerName;
    }

    long campaign(long sellerId, String name) {
        return jdbc.queryForObject("INSERT INTO campaigns (seller_id, name) VALUES (?, ?) RETURNING id", Long.class,
                sellerId, tag + "-" + name);
    }

    long client(String name, String timeZone) {
        return jdbc.queryForObject("INSERT INTO clients (name, time_zone, endpoint, sip_host) VALUES (?, ?, ?, "
                + "'sbc.example') RETURNING id", Long.class, tag + "-" + name, timeZone, tag + "-" + name);
    }

    long did(long sellerId, long campaignId) {
        String number = "+1" + (2_000_000_000L + ThreadLocalRandom.current().nextLong(7_000_000_000L));
        return jdbc.queryForObject("INSERT INTO dids (number, seller_id, campaign_id) VALUES (?, ?, ?) RETURNING id",
                Long.class, number, sellerId, campaignId);
    }

    String name(String shortName) {
        return tag + "-" + shortName;
    }

    /** An answered call; billable when {@code billable}. */
    String answered(Instant start, long seller, long campaign, long did, long client, int billsec, boolean billable) {
        return call(start, seller, campaign, did, client, "ANSWERED", billsec, billable, null);
    }

    /** A call that reached no client: reason CAPPED, SCHEDULE, NO_TARGET, ... */
    String unrouted(Instant start, long seller, long campaign, long did, String reason) {
        return call(start, seller, campaign, did, null, "UNROUTED", 0, false, reason);
    }

    /**
     * A seller with {@code dids} DIDs, each of which had an answered 60 s call at the start of every hour of July
     * 2031 (744 hours, in UTC): {@code dids} × 744 rows in a report by DID and hour.
     */
    long sellerWithACallEveryHourOfJuly2031(int dids) {
        long seller = seller("hourly", "UTC");
        long campaign = campaign(seller, "hourly");
        long client = client("hourly", "UTC");
        Long[] ids = new Long[dids];
        for (int i = 0; i < dids; i++) {
            ids[i] = did(seller, campaign);
        }
        jdbc.update("""
                INSERT INTO call_logs (linked_id, direction, seller_id, campaign_id, did_id, client_id, start_time,
                                       answer_time, end_time, duration, billsec, disposition, billable)
                SELECT ? || '-hourly-' || d || '-' || h, 'INBOUND', ?, ?, d, ?, t, t + interval '5 seconds',
                       t + interval '65 seconds', 65, 60, 'ANSWERED', true
                FROM unnest(?::bigint[]) d, generate_series(0, 743) h,
                     LATERAL (SELECT timestamptz '2031-07-01 00:00Z' + h * interval '1 hour' AS t) s""",
                tag, seller, campaign, client, ids);
        return seller;
    }

    String call(Instant start, long seller, Long campaign, Long did, Long client, String disposition, int billsec,
            boolean billable, String unroutedReason) {
        String linkedId = tag + "-call-" + SEQUENCE.incrementAndGet();
        jdbc.update("""
                INSERT INTO call_logs (linked_id, direction, seller_id, campaign_id, did_id, client_id, start_time,
                                       answer_time, end_time, duration, billsec, disposition, unrouted_reason, billable)
                VALUES (?, 'INBOUND', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                linkedId, seller, campaign, did, client, Timestamp.from(start),
                "ANSWERED".equals(disposition) ? Timestamp.from(start.plusSeconds(5)) : null,
                Timestamp.from(start.plusSeconds(5 + billsec)), 5 + billsec, billsec, disposition, unroutedReason,
                billable);
        return linkedId;
    }
}
