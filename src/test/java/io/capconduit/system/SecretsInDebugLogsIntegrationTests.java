package io.capconduit.system;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import io.capconduit.telephony.AmiConnections;
import io.capconduit.telephony.ConnectedAsterisk;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator who turns the application's, the driver's, the HTTP server's or Spring's logging up to DEBUG or TRACE
 * to chase a problem still gets no secret in the log: no password or its hash, SIP or AMI secret, API token or
 * Basic credentials. (At those levels MyBatis prints each statement's parameters and rows, PgJDBC every bind value,
 * Tomcat each request's headers and Spring GraphQL each document.)
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class SecretsInDebugLogsIntegrationTests {

    /** What an operator turns up; the test's own HTTP client and JdbcTemplate (org.springframework.*) stay quiet. */
    private static final List<String> TURNED_UP = List.of("io.capconduit", "org.postgresql", "org.apache",
            "org.springframework.graphql", "org.springframework.security", "org.springframework.web.servlet",
            "org.asteriskjava", "com.zaxxer");

    private final LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AmiConnections ami;

    @Autowired
    DataSource dataSource;

    @AfterEach
    void quietAgain() {
        TURNED_UP.forEach(name -> logging.setLogLevel(name, null));
        logging.setLogLevel("io.capconduit", LogLevel.INFO);
    }

    private void signInThroughTheForm(String username, String password) {
        WebTestClient browser = WebTestClient.bindToServer(new JdkClientHttpConnector()).baseUrl(graphQl.baseUrl()).build();
        EntityExchangeResult<String> page = browser.get().uri("/login").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult();
        Matcher csrf = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(page.getResponseBody());
        assertThat(csrf.find()).isTrue();
        LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("username", username);
        form.add("password", password);
        form.add("_csrf", csrf.group(1));
        browser.post().uri("/login").cookie("JSESSIONID", page.getResponseCookies().getFirst("JSESSIONID").getValue())
                .body(BodyInserters.fromFormData(form)).exchange().expectStatus().is3xxRedirection();
    }

    @Test
    void secretsStayOutOfTraceLogs(CapturedOutput output) throws Exception {
        TURNED_UP.forEach(name -> logging.setLogLevel(name, LogLevel.TRACE));

        // a user with a password, signing in and changing it inline (as typed in GraphiQL)
        graphQl.as("admin").document("mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } } }")
                .variable("input", Map.of("username", "trace-user", "password", "Trace-Pass-Created-1", "role", "STAFF"))
                .execute().path("createUser.user.id").hasValue();
        graphQl.as("trace-user", "Trace-Pass-Created-1").document("mutation { changeMyPassword(input: "
                + "{currentPassword: \"Trace-Pass-Created-1\", newPassword: \"Trace-Pass-Changed-2\"}) { changed } }")
                .execute().path("changeMyPassword.changed").entity(Boolean.class).isEqualTo(true);
        graphQl.as("trace-user", "Trace-Pass-Changed-2").document("{ me { username } }").execute()
                .path("me.username").entity(String.class).isEqualTo("trace-user");
        // the login form, as a browser posts it
        signInThroughTheForm("trace-user", "Trace-Pass-Changed-2");
        // a password typed into the user name field (the sign-in throttle stores only a hash of it for this reason)
        graphQl.client().defaultHeaders(h -> h.setBasicAuth("Typed-Pass-As-Username-5", "Trace-Pass-Changed-2")).build()
                .post().bodyValue(Map.of("query", "{ me { username } }")).exchange().expectStatus().isUnauthorized();
        // an API token, used
        String token = graphQl.as("trace-user", "Trace-Pass-Changed-2").document("mutation { createApiToken(input: "
                + "{name: \"trace\"}) { token } }").execute().path("createApiToken.token").entity(String.class).get();
        graphQl.client().defaultHeaders(h -> h.setBearerAuth(token)).build().post()
                .bodyValue(Map.of("query", "{ me { username } }")).exchange().expectStatus().isOk();
        // a registering buyer's SIP secret and an Asterisk server's AMI secret
        graphQl.as("admin").document("mutation ($input: ClientInput!) { createClient(input: $input) { client { id } } }")
                .variable("input", Map.of("name", "Trace Co", "sipMode", "REGISTER", "maxContacts", 2,
                        "secret", "Trace-Sip-Secret-3"))
                .execute().path("createClient.client.id").hasValue();
        graphQl.as("admin").document("mutation ($input: AsteriskServerInput!) { createAsteriskServer(input: $input) "
                        + "{ asteriskServer { id } } }")
                .variable("input", Map.of("name", "pbx-trace", "host", "10.0.0.77", "amiUsername", "u",
                        "amiSecret", "Trace-Ami-Secret-4"))
                .execute().path("createAsteriskServer.asteriskServer.id").hasValue();
        // the AMI connection reads its server's secret and logs in with it
        try (ConnectedAsterisk connected = ConnectedAsterisk.start(jdbc, ami, null)) {
            assertThat(ami.isConnected(connected.serverId())).isTrue();
        }
        // a connection whose URL carries the password, as spring.datasource.url may
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        String url = pool.getJdbcUrl() + (pool.getJdbcUrl().contains("?") ? "&" : "?") + "user=" + pool.getUsername()
                + "&password=" + pool.getPassword();
        try (Connection connection = new org.postgresql.Driver().connect(url, new Properties())) {
            assertThat(connection).isNotNull();
        }
        String hash = jdbc.queryForObject("SELECT password_hash FROM users WHERE username = 'trace-user'", String.class);
        String basic = Base64.getEncoder().encodeToString("trace-user:Trace-Pass-Changed-2".getBytes(StandardCharsets.UTF_8));

        assertThat(output.getAll()).contains("trace-user")
                .doesNotContain("Trace-Pass-Created-1").doesNotContain("Typed-Pass-As-Username-5").doesNotContain("Trace-Pass-Changed-2")
                .doesNotContain(hash).doesNotContain("{bcrypt}$2").doesNotContain(basic)
                .doesNotContain(token).doesNotContain("Trace-Sip-Secret-3").doesNotContain("Trace-Ami-Secret-4")
                .doesNotContain("test-ami-secret").doesNotContain("password=" + pool.getPassword());
    }
}
