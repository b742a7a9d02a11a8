package io.capconduit.system;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.capconduit.CapConduitApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** With spring.datasource.url set, the app uses that server: no embedded database, no demo data by default. */
class ExternalDatabaseIntegrationTests {

    @TempDir
    Path dataDir;

    @Test
    void usesTheConfiguredServerAndStartsNothingOfItsOwn() {
        try (EmbeddedPostgresServer external = EmbeddedPostgresServer.start(
                new EmbeddedDatabaseProperties(0, dataDir, "external", "ext_user", "ext-pw", true, "128MB", "1GB"));
                ConfigurableApplicationContext app = SpringApplication.run(CapConduitApplication.class,
                        "--server.port=0", "--spring.quartz.auto-startup=false", "--logging.level.root=WARN",
                        "--spring.datasource.url=" + external.jdbcUrl(),
                        "--spring.datasource.username=ext_user", "--spring.datasource.password=ext-pw",
                        "--capconduit.admin.password=first-admin-secret",
                        // Quartz keeps each scheduler's connections JVM-wide under its name: with the shared test
                        // context's name, this app's would replace that context's, and closing this app left the
                        // shared context's scheduler on a closed pool (JobsGraphQlIntegrationTests read no triggers)
                        "--spring.quartz.scheduler-name=capconduit-external-database-test")) {

            assertThat(app.getBeanProvider(EmbeddedPostgresServer.class).getIfAvailable()).isNull();
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SELECT current_database()", String.class)).isEqualTo("external");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE success", Integer.class))
                    .isPositive();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM sellers", Integer.class)).isZero();
            // the first administrator comes from configuration, stored as a bcrypt hash only
            String hash = jdbc.queryForObject("SELECT password_hash FROM users WHERE username = 'admin' AND role = 'ADMIN'",
                    String.class);
            assertThat(hash).startsWith("{bcrypt}$2").doesNotContain("first-admin-secret");
        }
    }
}
