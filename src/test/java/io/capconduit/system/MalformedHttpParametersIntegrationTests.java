package io.capconduit.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP endpoints beside GraphQL (uploads, the import status and reject downloads, the exports), each query
 * parameter and path variable sent malformed by an ADMIN: a value of the wrong kind is refused 400 with a JSON body
 * naming it (or 404 for an id of nothing), never a 5xx, a bare 400 or a message quoting internals or the whole
 * value. Values are at most 5,000 characters: Tomcat refuses a request line past 8 KB before the application
 * sees it. The context (and database) is MalformedArgumentsIntegrationTests': an upload some value lets through
 * imports there.
 */
@IntegrationTest
@TestPropertySource(properties = {
        "capconduit.sign-in-throttle.max-failures-per-username=1000000",
        "capconduit.sign-in-throttle.max-failures-per-address=1000000" })
class MalformedHttpParametersIntegrationTests {

    private static final Pattern INTERNALS = Pattern.compile("(?i)exception|\\bjava\\.|\\bjakarta\\.|\\borg\\.[a-z]+\\."
            + "|io\\.capconduit|\\.java:\\d|\\n\\s+at |\\bselect\\b.*\\bfrom\\b|\\bsqlstate\\b|\\bpsql");
    private static final String LONG = "x".repeat(5_000);

    /** A value and whether it must be refused whatever the endpoint (else it may be taken, but never fail badly). */
    private record Value(String text, boolean mustRefuse) {
    }

    private static final List<Value> IDS = List.of(new Value("", true), new Value(" ", true), new Value("abc", true),
            new Value("1.5", true), new Value("99999999999999999999", true), new Value("9".repeat(5_000), true),
            new Value("-1", false), new Value("0", false));
    private static final List<Value> DATES = List.of(new Value("", true), new Value("2026-02-30", true),
            new Value("tomorrow", true), new Value("+999999999-12-31", true), new Value("0001-01-01", true),
            new Value(LONG, true));
    private static final List<Value> DATE_TIMES = List.of(new Value("", true), new Value("2026-13-01T00:00:00Z", true),
            new Value("2026-11-01T00:00:00", true), new Value("+999999999-12-31T23:59:59Z", true), new Value(LONG, true));
    private static final List<Value> ZONES = List.of(new Value("Mars/Olympus", true), new Value("+05:00", true),
            new Value(LONG, true), new Value("", false));
    private static final List<Value> WORDS = List.of(new Value("NO_SUCH_VALUE", true), new Value(LONG, true),
            new Value("", false), new Value("day", false));

    @Autowired
    GraphQlTesters graphQl;

    WebTestClient admin;

    @BeforeEach
    void signIn() {
        String token = graphQl.apiToken("admin");
        admin = WebTestClient.bindToServer(new JdkClientHttpConnector()).baseUrl(graphQl.baseUrl())
                .responseTimeout(Duration.ofSeconds(60)).defaultHeaders(headers -> headers.setBearerAuth(token)).build();
    }

    @Test
    void everyMalformedParameterIsRefusedWithAJsonBodyNamingIt() {
        Map<String, String> report = Map.of("from", "2026-11-01", "to", "2026-11-02");
        Map<String, String> callLogs = Map.of("from", "2026-11-01T00:00:00Z", "to", "2026-11-02T00:00:00Z");
        List<String> findings = new ArrayList<>();
        // the parameters are read before the format matters: csv, the cheaper to write, stands for both
        for (String format : List.of("csv")) {
            String reportPath = "/api/reports/export." + format;
            get(findings, reportPath, report, "from", DATES);
            get(findings, reportPath, report, "to", DATES);
            get(findings, reportPath, report, "timeZone", ZONES);
            get(findings, reportPath, report, "groupBy", WORDS);
            get(findings, reportPath, report, "by", WORDS);
            get(findings, reportPath, report, "sellerId", IDS);
            String callLogPath = "/api/call-logs/export." + format;
            get(findings, callLogPath, callLogs, "from", DATE_TIMES);
            get(findings, callLogPath, callLogs, "to", DATE_TIMES);
            get(findings, callLogPath, callLogs, "timeZone", ZONES);
            get(findings, callLogPath, callLogs, "disposition", WORDS);
            for (String id : List.of("campaignId", "clientId", "sellerId")) {
                get(findings, callLogPath, callLogs, id, IDS);
            }
        }
        get(findings, "/api/reports/export.pdf", report, null, List.of(new Value("", true)));
        // an empty path segment is another address (/api/leads/import/), no parameter of this one
        for (Value id : IDS.stream().filter(id -> !id.text().isBlank()).toList()) {
            for (String download : List.of("", "/rejects.csv", "/rejects.xlsx")) {
                String path = "/api/leads/import/" + UriComponentsBuilder.fromPath(id.text()).encode().build() + download;
                judge(findings, "GET " + path, id, "executionId", admin.get().uri(graphQl.baseUrl() + path).exchange()
                        .expectBody().returnResult());
            }
        }
        for (Value id : IDS) {
            upload(findings, "/api/leads/import", Map.of("listId", id.text()), "listId", id);
        }
        for (Value mapping : List.of(new Value(LONG, true), new Value("phone=a,phone=b", true), new Value("", false))) {
            upload(findings, "/api/leads/import", Map.of("listId", "987654321", "mapping", mapping.text()), "mapping",
                    mapping);
        }
        for (Value region : List.of(new Value("Mars", true), new Value(LONG, true), new Value("", false))) {
            upload(findings, "/api/dnc/import", Map.of("region", region.text()), "region", region);
        }
        assertThat(findings).as("%d findings", findings.size()).isEmpty();
    }

    private void get(List<String> findings, String path, Map<String, String> valid, String name, List<Value> values) {
        for (Value value : values) {
            Map<String, String> parameters = new LinkedHashMap<>(valid);
            if (name != null) {
                parameters.put(name, value.text());
            }
            UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(graphQl.baseUrl() + path);
            parameters.forEach(uri::queryParam);
            String sent = uri.encode().build().toUriString();
            judge(findings, "GET " + path + " " + name + "=" + shortened(value.text()), value, name,
                    admin.get().uri(sent).exchange().expectBody().returnResult());
        }
    }

    /** An upload of an empty csv: refused as a parameter, or taken and failing in the background on no rows. */
    private void upload(List<String> findings, String path, Map<String, String> parameters, String name, Value value) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(graphQl.baseUrl() + path);
        parameters.forEach(uri::queryParam);
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", new ByteArrayResource(new byte[0]) {
            @Override
            public String getFilename() {
                return "empty.csv";
            }
        }).contentType(MediaType.TEXT_PLAIN);
        judge(findings, "POST " + path + " " + name + "=" + shortened(value.text()), value, name,
                admin.post().uri(uri.encode().build().toUriString()).body(BodyInserters.fromMultipartData(body.build()))
                        .exchange().expectBody().returnResult());
    }

    @SuppressWarnings("unchecked")
    private static void judge(List<String> findings, String request, Value value, String name,
            EntityExchangeResult<byte[]> answer) {
        int status = answer.getStatus().value();
        if (status < 400) {
            if (value.mustRefuse()) {
                findings.add(request + ": taken (" + status + ")");
            }
            return;
        }
        Map<String, Object> body;
        try {
            body = JsonMapper.builder().build().readValue(answer.getResponseBody(), Map.class);
        }
        catch (RuntimeException ex) {
            findings.add(request + ": " + status + " without a JSON body");
            return;
        }
        if (!(body.get("message") instanceof String message)) {
            findings.add(request + ": " + status + " without a message: " + body);
            return;
        }
        if (status >= 500 || !(status == 400 || status == 404)) {
            findings.add(request + ": " + status + " " + shortened(message));
        }
        else if (INTERNALS.matcher(message).find() || message.length() > 1000) {
            findings.add(request + ": the message " + shortened(message));
        }
        else if (status == 400 && name != null && !name.equals(body.get("field")) && value.mustRefuse()) {
            findings.add(request + ": 400 naming " + body.get("field") + " (" + shortened(message) + ")");
        }
    }

    private static String shortened(String text) {
        return text.length() <= 80 ? text : text.substring(0, 60) + "... (" + text.length() + " characters)";
    }
}
