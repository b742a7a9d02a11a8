package io.capconduit.accounts;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded database with its demo data and a configured administrator password: the configured one wins. */
@IntegrationTest
@TestPropertySource(properties = "capconduit.admin.password=Str0ng-Pass-123")
@ExtendWith(OutputCaptureExtension.class)
class AdminPasswordIntegrationTests {

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    UserMapper users;

    @Autowired
    PasswordEncoder passwordEncoder;

    @Test
    void theConfiguredPasswordSignsTheAdminInAndTheDemoPasswordDoesNot() {
        signIn("admin", "demo").expectStatus().isUnauthorized();
        signIn("admin", "Str0ng-Pass-123").expectStatus().isOk();
        // no demo user at all: their password is published
        signIn("staff", "demo").expectStatus().isUnauthorized();
        signIn("seller1", "demo").expectStatus().isUnauthorized();
        // the rest of the demo data is there
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sellers WHERE name = 'Acme Leads'", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void aConfiguredPasswordThatIsNotAppliedIsLogged(CapturedOutput output) {
        // given a user of the configured name that has a password of its own
        jdbc.update("INSERT INTO users (username, password_hash, role) VALUES ('ops-admin', ?, 'ADMIN')",
                passwordEncoder.encode("its-own-password"));

        new AdminBootstrap(new AdminProperties("ops-admin", "Str0ng-Pass-123"), users, passwordEncoder)
                .run(new DefaultApplicationArguments());

        assertThat(output).contains("capconduit.admin.password is set but not applied: user 'ops-admin' exists");
        assertThat(passwordEncoder.matches("its-own-password",
                users.findByUsername("ops-admin").orElseThrow().passwordHash())).isTrue();
    }

    @Test
    void anInvalidAdminUsernameStopsStartUpNamingTheSetting() {
        for (String username : new String[] {"", " ", "a".repeat(101), "ad min"}) {
            assertThatThrownBy(() -> new AdminBootstrap(new AdminProperties(username, "Str0ng-Pass-123"), users,
                    passwordEncoder)).hasMessageContaining("capconduit.admin.username");
        }
    }

    private WebTestClient.ResponseSpec signIn(String username, String password) {
        return graphQl.client().defaultHeaders(h -> h.setBasicAuth(username, password)).build().post()
                .bodyValue(Map.of("query", "{ me { username } }")).exchange();
    }
}
