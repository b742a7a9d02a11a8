package io.capconduit.support;

import java.util.Locale;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.test.context.support.TestPropertySourceUtils;
import org.springframework.util.StringUtils;

/**
 * Chooses the test database. {@code CAPCONDUIT_TEST_DB=embedded} (what runs here: no Docker engine) uses the
 * embedded PostgreSQL; {@code testcontainers} uses one PostgreSQL 17 container per test JVM;
 * {@code auto} (the default) takes Testcontainers only where a Docker engine answers. A context that sets
 * its own spring.datasource.url is left alone.
 */
public class TestDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static PostgreSQLContainer container;

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment environment = context.getEnvironment();
        if (StringUtils.hasText(environment.getProperty("spring.datasource.url")) || !useTestcontainers()) {
            return;
        }
        PostgreSQLContainer postgres = container();
        TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context,
                "spring.datasource.url=" + postgres.getJdbcUrl(),
                "spring.datasource.username=" + postgres.getUsername(),
                "spring.datasource.password=" + postgres.getPassword());
    }

    private static boolean useTestcontainers() {
        String choice = System.getenv().getOrDefault("CAPCONDUIT_TEST_DB", "auto").toLowerCase(Locale.ROOT);
        return switch (choice) {
            case "testcontainers" -> true;
            case "embedded" -> false;
            default -> dockerAvailable();
        };
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (RuntimeException | LinkageError ex) {
            return false;
        }
    }

    private static synchronized PostgreSQLContainer container() {
        if (container == null) {
            container = new PostgreSQLContainer("postgres:17-alpine").withDatabaseName("capconduit")
                    // lead imports insert in parts, each a prepared transaction (LeadMergeParts)
                    .withCommand("postgres", "-c", "fsync=off", "-c", "max_prepared_transactions=16");
            container.start();
        }
        return container;
    }
}
