package io.capconduit.bench;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.capconduit.CapConduitApplication;
import io.capconduit.dialer.HopperFillRun;
import io.capconduit.dialer.HopperFillService;
import io.capconduit.dialer.ProgressiveDialer;
import io.capconduit.telephony.AmiConnections;
import io.capconduit.telephony.TestAmiServer;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hopper fill (10,000 entries from a 1,000,000-lead list, mixed time zones, some DNC and exhausted leads)
 * and the dialer's originate rate against the test AMI server through the real asterisk-java client.
 */
@Benchmark("dialer")
class DialerBench {

    @Test
    void hopperFillAndOriginateRate() throws Exception {
        try (ConfigurableApplicationContext context = SpringApplication.run(CapConduitApplication.class,
                "--spring.profiles.active=test", "--server.port=0", "--logging.level.root=ERROR",
                "--logging.level.io.capconduit.dialer.HopperFillService=DEBUG")) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            hopperFill(jdbc, context.getBean(HopperFillService.class));
            originates(jdbc, context.getBean(AmiConnections.class), context.getBean(ProgressiveDialer.class));
        }
    }

    private static void hopperFill(JdbcTemplate jdbc, HopperFillService hopperFill) {
        long campaign = campaign(jdbc, "bench-fill", "hopper_level = 10000, call_window_start = '08:00', "
                + "call_window_end = '07:59', max_attempts = 3");
        long list = jdbc.queryForObject("SELECT list_id FROM campaign_lead_lists WHERE campaign_id = ?", Long.class,
                campaign);
        jdbc.update("""
                INSERT INTO leads (list_id, phone, time_zone, attempts, status)
                SELECT ?, '+1555' || lpad(n::text, 7, '0'),
                       (ARRAY['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles',
                              'America/Phoenix', NULL])[1 + n % 6],
                       CASE WHEN n % 50 = 0 THEN 3 ELSE n % 3 END,
                       CASE WHEN n % 3 = 0 THEN 'NEW' ELSE 'RETRY' END
                FROM generate_series(1, 1000000) n""", list);
        jdbc.update("INSERT INTO dnc_numbers (phone) SELECT '+1555' || lpad((n * 97)::text, 7, '0') "
                + "FROM generate_series(1, 5000) n ON CONFLICT DO NOTHING");
        jdbc.execute("VACUUM ANALYZE leads");
        jdbc.execute("VACUUM ANALYZE outbound_queue");

        // the first fill of a fresh JVM and database connection (class loading, time zone rules, catalog caches)
        double coldMillis = timedFill(jdbc, hopperFill, "bench-fill-cold", 1000);
        BenchReport.report("hopper_fill_first_1000_ms", coldMillis, "ms");

        long started = System.nanoTime();
        HopperFillRun run = hopperFill.fill(campaign, null, Instant.now());
        double millis = (System.nanoTime() - started) / 1e6;
        System.out.println("hopper fill: " + run);

        assertThat(run.inserted()).isEqualTo(10000);
        BenchReport.report("hopper_fill_ms", millis, "ms");
    }

    /** A small fill from its own list, run before the measured one as the every-30-seconds job would have. */
    private static double timedFill(JdbcTemplate jdbc, HopperFillService hopperFill, String name, int leads) {
        long campaign = campaign(jdbc, name, "hopper_level = " + leads + ", call_window_start = '08:00', "
                + "call_window_end = '07:59', max_attempts = 3");
        jdbc.update("INSERT INTO leads (list_id, phone) SELECT list_id, '+1777' || lpad(n::text, 7, '0') "
                + "FROM campaign_lead_lists, generate_series(1, ?) n WHERE campaign_id = ?", leads, campaign);
        long started = System.nanoTime();
        assertThat(hopperFill.fill(campaign, null, Instant.now()).inserted()).isEqualTo(leads);
        return (System.nanoTime() - started) / 1e6;
    }

    private static void originates(JdbcTemplate jdbc, AmiConnections ami, ProgressiveDialer dialer) throws Exception {
        int calls = 3000;
        try (TestAmiServer asterisk = new TestAmiServer("capconduit", "bench-secret")) {
            asterisk.outcomes(originate -> TestAmiServer.Outcome.NO_ANSWER);
            long server = jdbc.queryForObject("INSERT INTO asterisk_servers (name, host, ami_port, ami_username, "
                    + "ami_secret, max_calls_per_second, max_originates_in_flight) VALUES ('bench', '127.0.0.1', ?, "
                    + "'capconduit', 'bench-secret', 2000, 2000) RETURNING id", Long.class, asterisk.port());
            long campaign = campaign(jdbc, "bench-dial", "dial_ratio = 1.0, call_window_start = '00:00', "
                    + "call_window_end = '00:00', max_attempts = 5");
            long list = jdbc.queryForObject("SELECT list_id FROM campaign_lead_lists WHERE campaign_id = ?",
                    Long.class, campaign);
            jdbc.update("INSERT INTO leads (list_id, phone) SELECT ?, '+1666' || lpad(n::text, 7, '0') "
                    + "FROM generate_series(1, ?) n", list, calls);
            jdbc.update("INSERT INTO outbound_queue (campaign_id, lead_id) SELECT ?, id FROM leads WHERE list_id = ?",
                    campaign, list);
            jdbc.update("INSERT INTO agents (name, extension, endpoint, state) SELECT 'bench ' || n, "
                    + "(700000 + n)::text, 'agent-bench-' || n, 'AVAILABLE' FROM generate_series(1, 300) n");
            jdbc.update("INSERT INTO agent_campaigns (agent_id, campaign_id) SELECT id, ? FROM agents "
                    + "WHERE endpoint LIKE 'agent-bench-%'", campaign);
            jdbc.execute("ANALYZE outbound_queue"); // what autovacuum does for a live queue
            ami.connect(server);
            while (!ami.isConnected(server)) {
                Thread.sleep(20);
            }

            long started = System.nanoTime();
            while (asterisk.originates().size() < calls) {
                if (dialer.tick() == 0) {
                    Thread.sleep(2);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            ami.disconnect(server);

            assertThat(asterisk.originates().stream().map(TestAmiServer.Originate::channelId).distinct().count())
                    .isEqualTo(calls);
            BenchReport.report("dialer_originates_per_s", calls / seconds, "1/s");
        }
    }

    private static long campaign(JdbcTemplate jdbc, String name, String settings) {
        long seller = jdbc.queryForObject("SELECT id FROM sellers ORDER BY id LIMIT 1", Long.class);
        long trunk = jdbc.queryForObject("SELECT id FROM trunks ORDER BY id LIMIT 1", Long.class);
        long campaign = jdbc.queryForObject("INSERT INTO campaigns (seller_id, name, direction, trunk_id) "
                + "VALUES (?, ?, 'OUTBOUND', ?) RETURNING id", Long.class, seller, name, trunk);
        jdbc.update("UPDATE campaigns SET " + settings + " WHERE id = ?", campaign);
        long list = jdbc.queryForObject("INSERT INTO lead_lists (name) VALUES (?) RETURNING id", Long.class, name);
        jdbc.update("INSERT INTO campaign_lead_lists (campaign_id, list_id) VALUES (?, ?)", campaign, list);
        return campaign;
    }
}
