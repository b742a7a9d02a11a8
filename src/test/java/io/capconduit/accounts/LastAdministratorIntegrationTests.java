package io.capconduit.accounts;

import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.HeldRowLocks;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

import static io.capconduit.support.GraphQlErrors.badInput;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Some enabled ADMIN always remains: AdminBootstrap does not create one again while its name is taken, so
 * losing the last one would leave users unmanageable. Other admins of the shared database are disabled
 * while a test runs, and enabled again after it.
 */
@IntegrationTest
class LastAdministratorIntegrationTests {

    private static final String DEMOTE = "mutation ($id: ID!) { updateUser(id: $id, input: {role: STAFF}) "
            + "{ user { role } } }";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    UserMapper users;

    @Autowired
    PasswordEncoder encoder;

    List<Long> setAside;

    @BeforeEach
    void onlyTheDemoAdminIsAnAdmin() {
        setAside = jdbc.queryForList("UPDATE users SET enabled = false WHERE role = 'ADMIN' AND enabled "
                + "AND username <> 'admin' RETURNING id", Long.class);
    }

    @AfterEach
    void enableTheOtherAdminsAgain() {
        jdbc.update("UPDATE users SET enabled = true WHERE id = ANY (?)", (Object) setAside.toArray(Long[]::new));
        jdbc.update("UPDATE users SET role = 'ADMIN', enabled = true WHERE username = 'admin'");   // whatever happened
    }

    @Test
    void theLastAdminCanNeitherDeactivateNorDemoteThemself() {
        long admin = jdbc.queryForObject("SELECT id FROM users WHERE username = 'admin'", Long.class);

        graphQl.as("admin").document("mutation ($id: ID!) { deactivateUser(id: $id) { user { enabled } } }")
                .variable("id", admin).execute().errors().expect(badInput("id")).verify();
        graphQl.as("admin").document(DEMOTE).variable("id", admin).execute().errors()
                .expect(badInput("input.role")).verify();
        graphQl.as("admin").document("mutation ($id: ID!) { updateUser(id: $id, input: {enabled: false}) "
                + "{ user { enabled } } }").variable("id", admin).execute().errors()
                .expect(badInput("input.enabled")).verify();

        assertThat(jdbc.queryForMap("SELECT role, enabled FROM users WHERE id = ?", admin))
                .containsEntry("role", "ADMIN").containsEntry("enabled", true);
        // with another admin there, stepping down is fine
        long other = newAdmin("second-admin");
        graphQl.as("second-admin", "second-admin-pw").document(DEMOTE).variable("id", other).execute()
                .path("updateUser.user.role").entity(String.class).isEqualTo("STAFF");
    }

    @Test
    void twoAdminsDemotingEachOtherAtOnceLeaveOneAdmin() throws Exception {
        jdbc.update("UPDATE users SET enabled = false WHERE username = 'admin'");
        long ann = newAdmin("admin-ann");
        long bob = newAdmin("admin-bob");

        try (HeldRowLocks held = HeldRowLocks.take(dataSource, "SELECT 1 FROM users WHERE id IN (?, ?) FOR UPDATE",
                ann, bob)) {
            held.queue(() -> graphQl.as("admin-ann", "admin-ann-pw").document(DEMOTE).variable("id", bob).execute()
                    .path("updateUser.user.role").entity(String.class).isEqualTo("STAFF"));
            held.queue(() -> graphQl.as("admin-bob", "admin-bob-pw").document(DEMOTE).variable("id", ann).execute()
                    .errors().expect(badInput("input.role")).verify());
            held.release();
        }

        assertThat(jdbc.queryForList("SELECT username FROM users WHERE role = 'ADMIN' AND enabled", String.class))
                .containsExactly("admin-ann");
        jdbc.update("UPDATE users SET enabled = false WHERE id = ?", ann);
    }

    private long newAdmin(String username) {
        var row = new UserMapper.NewUser(username, encoder.encode(username + "-pw"), Role.ADMIN, null, true);
        users.insert(row);
        return row.id;
    }
}
