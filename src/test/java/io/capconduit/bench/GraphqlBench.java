package io.capconduit.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.capconduit.CapConduitApplication;
import io.capconduit.system.graphql.KeysetCursor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GraphQL API under load: 50-row call-log pages with filters over 1,000,000 call logs (first pages, pages
 * followed by cursor, and deep pages anywhere in 90 days), then simple queries from 16 concurrent clients.
 * Requests sign in with a bearer API token, as programs should (HTTP Basic pays bcrypt on every request).
 */
@Benchmark("graphql")
class GraphqlBench {

    private static final int CALL_LOGS = 1_000_000;
    private static final Instant NEWEST = Instant.parse("2026-11-30T00:00:00Z");
    private static final Pattern END_CURSOR = Pattern.compile("\"endCursor\":\"([^\"]+)\"");
    private static final String PAGE = "query ($f: CallLogFilter, $after: String) { callLogs(filter: $f, first: 50, "
            + "after: $after) { edges { node { id startTime didNumber callerId disposition billsec billable "
            + "campaign { name } client { name } } } pageInfo { hasNextPage endCursor } } }";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void callLogPagesAndQueriesPerSecond() throws Exception {
        try (ConfigurableApplicationContext context = SpringApplication.run(CapConduitApplication.class,
                "--spring.profiles.active=test", "--server.port=0", "--logging.level.root=ERROR")) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            long[] campaigns = generate(jdbc);
            String url = "http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/graphql";
            String token = apiToken(url);

            // A server in service has long finished compiling its hot paths: 2,000 pages of the same mix first, so
            // the figures are the steady state and not the JIT's warm-up (with 300, the slowest pages were all early).
            pages(url, token, campaigns, new long[2_000]);
            long[] nanos = pages(url, token, campaigns, new long[5_000]);
            Arrays.sort(nanos);
            BenchReport.report("graphql_callLogs_page_p50_ms", nanos[nanos.length / 2] / 1e6, "ms");
            BenchReport.report("graphql_callLogs_page_p99_ms", nanos[(int) (nanos.length * 0.99)] / 1e6, "ms");
            BenchReport.report("graphql_qps", queriesPerSecond(url, token), "qps");
            printPlan(jdbc, campaigns[3]);
        }
    }

    /** Fills {@code nanos} with the latencies of pages of random filters, each followed by up to three next pages. */
    private long[] pages(String url, String token, long[] campaigns, long[] nanos) throws Exception {
        int n = 0;
        while (n < nanos.length) {
            String filter = randomFilter(campaigns);
            String after = ThreadLocalRandom.current().nextInt(3) == 0 ? randomDeepCursor() : null;
            for (int p = 0; p < 4 && n < nanos.length; p++) {   // a page, then the next ones by cursor
                long started = System.nanoTime();
                String body = page(url, token, filter, after);
                nanos[n++] = System.nanoTime() - started;
                Matcher cursor = END_CURSOR.matcher(body);
                if (!cursor.find()) {
                    break;
                }
                after = cursor.group(1);
            }
        }
        return nanos;
    }

    private static long[] generate(JdbcTemplate jdbc) {
        long started = System.nanoTime();
        long seller = jdbc.queryForObject("INSERT INTO sellers (name) VALUES ('bench seller') RETURNING id", Long.class);
        jdbc.update("INSERT INTO campaigns (seller_id, name) SELECT ?, 'bench campaign ' || g FROM generate_series(1, 20) g",
                seller);
        jdbc.update("INSERT INTO clients (name, endpoint, sip_host) SELECT 'bench client ' || g, 'bench-client-' || g, "
                + "'sbc' || g || '.example' FROM generate_series(1, 20) g");
        long[] campaigns = jdbc.queryForList("SELECT id FROM campaigns WHERE seller_id = ? ORDER BY id", Long.class, seller)
                .stream().mapToLong(Long::longValue).toArray();
        long firstClient = jdbc.queryForObject("SELECT min(id) FROM clients WHERE name LIKE 'bench client %'", Long.class);
        // one statement: 1,000,000 calls over 90 days, 20 campaigns, 20 clients, four dispositions
        jdbc.update("""
                INSERT INTO call_logs (linked_id, direction, seller_id, campaign_id, client_id, did_number, caller_id,
                    start_time, answer_time, end_time, duration, billsec, disposition, billable, targets_tried)
                SELECT 'bench-' || g, 'INBOUND', ?, ? + (g % 20), CASE WHEN g % 5 = 0 THEN NULL ELSE ? + (g * 7 % 20) END,
                    '+1800555' || lpad((g % 10000)::text, 4, '0'), '+1212' || lpad((g % 9999999)::text, 7, '0'),
                    t, t + interval '5 seconds', t + (g % 600) * interval '1 second', g % 600, greatest(g % 600 - 5, 0),
                    (ARRAY['ANSWERED', 'ANSWERED', 'NO ANSWER', 'BUSY', 'ANSWERED', 'FAILED'])[1 + g % 6],
                    g % 600 > 60, 1 + g % 3
                FROM generate_series(1, ?) g,
                     LATERAL (SELECT timestamptz '2026-11-30 00:00:00+00' - (g * 7.776) * interval '1 second') AS s (t)
                """, seller, campaigns[0], firstClient, CALL_LOGS);
        jdbc.execute("ANALYZE call_logs");
        BenchReport.report("graphql_generate_call_logs_s", (System.nanoTime() - started) / 1e9, "s");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_logs WHERE linked_id LIKE 'bench-%'", Long.class))
                .isEqualTo(CALL_LOGS);
        return campaigns;
    }

    /** The plan of a deep page of one campaign, to see the index seek (printed, not a figure). */
    private static void printPlan(JdbcTemplate jdbc, long campaign) {
        Instant at = NEWEST.minus(Duration.ofDays(60));
        jdbc.queryForList("EXPLAIN (ANALYZE, BUFFERS) SELECT id FROM call_logs WHERE campaign_id = ? "
                + "AND start_time <= ? AND (start_time < ? OR id < ?) ORDER BY start_time DESC, id DESC LIMIT 51",
                String.class, campaign, java.sql.Timestamp.from(at), java.sql.Timestamp.from(at), Long.MAX_VALUE)
                .forEach(line -> System.out.println("PLAN " + line));
    }

    private static String randomFilter(long[] campaigns) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long campaign = campaigns[random.nextInt(campaigns.length)];
        Instant from = NEWEST.minus(Duration.ofDays(1 + random.nextInt(80)));
        return switch (random.nextInt(6)) {
            case 0 -> "{}";
            case 1 -> "{\"campaignId\": " + campaign + "}";
            case 2 -> "{\"disposition\": \"BUSY\"}";
            case 3 -> "{\"from\": \"" + from + "\", \"to\": \"" + from.plus(Duration.ofDays(7)) + "\"}";
            case 4 -> "{\"campaignId\": " + campaign + ", \"disposition\": \"ANSWERED\"}";
            default -> "{\"campaignId\": " + campaign + ", \"from\": \"" + from + "\", \"to\": \"" + from.plus(Duration.ofDays(3)) + "\"}";
        };
    }

    /** A position anywhere in the 90 days: what a client holds after paging far into the list. */
    private static String randomDeepCursor() {
        long seconds = ThreadLocalRandom.current().nextLong(Duration.ofDays(85).toSeconds());
        return KeysetCursor.of("callLogs", NEWEST.minusSeconds(seconds), Long.MAX_VALUE).encode();
    }

    private String page(String url, String token, String filter, String after) throws Exception {
        String variables = "{\"f\": " + filter + (after == null ? "" : ", \"after\": \"" + after + "\"") + "}";
        String body = post(url, "Bearer " + token, "{\"query\": " + quote(PAGE) + ", \"variables\": " + variables + "}");
        if (!body.contains("\"edges\"") || body.contains("\"errors\"")) {
            throw new AssertionError("Unexpected answer: " + body.substring(0, Math.min(500, body.length())));
        }
        return body;
    }

    private double queriesPerSecond(String url, String token) throws Exception {
        String query = "{\"query\": \"{ me { username role } campaigns(direction: OUTBOUND) { id name } }\"}";
        AtomicLong done = new AtomicLong();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            futures.add(clients.submit(() -> {
                while (System.nanoTime() < until) {
                    post(url, "Bearer " + token, query);
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        long started = System.nanoTime();
        for (var future : futures) {
            future.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        clients.shutdown();
        return done.get() / seconds;
    }

    private String apiToken(String url) throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString("admin:demo".getBytes(StandardCharsets.UTF_8));
        String body = post(url, basic, "{\"query\": \"mutation { createApiToken(input: {name: \\\"bench\\\"}) { token } }\"}");
        Matcher token = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(body);
        if (!token.find()) {
            throw new AssertionError("No token: " + body);
        }
        return token.group(1);
    }

    private String post(String url, String authorization, String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
