package io.capconduit.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;

import io.capconduit.accounts.AdminProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StringUtils;

/**
 * Loads the demo sellers, clients, campaigns, DIDs, settings and users once. The marker row in
 * {@code app_state} is written in the same transaction as the data, so a restart, or a second instance
 * starting at the same moment, never loads it twice. With {@code capconduit.admin.password} set the demo users
 * ({@value #USERS_SCRIPT}) are left out: their password is the README's, and the configured administrator wins.
 */
@Component
@Order(10)
class DemoDataLoader implements ApplicationRunner {

    static final String MARKER = "demo_data_loaded_at";
    static final String USERS_SCRIPT = "demo-users.sql";

    private static final Logger log = LoggerFactory.getLogger(DemoDataLoader.class);

    private final DemoDataProperties properties;
    private final boolean adminConfigured;
    private final boolean embedded;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ResourceLoader resources;
    private final ApplicationEventPublisher events;

    DemoDataLoader(DemoDataProperties properties, AdminProperties admin,
            ObjectProvider<EmbeddedPostgresServer> embeddedServer, JdbcTemplate jdbc, TransactionTemplate transaction,
            ResourceLoader resources, ApplicationEventPublisher events) {
        this.properties = properties;
        this.adminConfigured = StringUtils.hasText(admin.password());
        this.embedded = embeddedServer.getIfAvailable() != null;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.resources = resources;
        this.events = events;
    }

    @Override
    public void run(ApplicationArguments args) {
        boolean enabled = properties.enabled() != null ? properties.enabled() : embedded;
        if (enabled) {
            boolean loaded = Boolean.TRUE.equals(transaction.execute(status -> loadIfFirstStart()));
            if (loaded && adminConfigured) {
                log.info("Loaded the demo data from {} without its users: capconduit.admin.password is set",
                        properties.scripts());
            }
            else if (loaded) {
                log.info("Loaded the demo data from {}: users admin, staff, seller1, seller2 (their password: README, Demo users)",
                        properties.scripts());
            }
        }
    }

    /**
     * demo-data.sql first (sellers, clients, ...), then each feature's demo-*.sql in name order; demo-users.sql only
     * when no administrator password is configured.
     */
    private Resource[] demoScripts() {
        try {
            Resource[] found = Arrays.stream(ResourcePatternUtils.getResourcePatternResolver(resources)
                    .getResources(properties.scripts()))
                    .filter(r -> !(adminConfigured && USERS_SCRIPT.equals(r.getFilename())))
                    .toArray(Resource[]::new);
            Arrays.sort(found, Comparator.comparing((Resource r) -> !"demo-data.sql".equals(r.getFilename()))
                    .thenComparing(Resource::getFilename));
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the demo data scripts " + properties.scripts(), e);
        }
    }

    private boolean loadIfFirstStart() {
        // Serialise concurrent first starts; the marker decides who loads.
        jdbc.execute("LOCK TABLE app_state IN EXCLUSIVE MODE");
        Integer marked = jdbc.queryForObject("SELECT count(*) FROM app_state WHERE key = ?", Integer.class, MARKER);
        Integer sellers = jdbc.queryForObject("SELECT count(*) FROM sellers", Integer.class);
        if (marked > 0 || sellers > 0) {
            return false;
        }
        Resource[] scripts = demoScripts();
        jdbc.execute((java.sql.Connection connection) -> {
            for (Resource script : scripts) {
                ScriptUtils.executeSqlScript(connection, script);
            }
            return null;
        });
        jdbc.update("INSERT INTO app_state (key, value) VALUES (?, now()::text)", MARKER);
        events.publishEvent(new DemoDataLoadedEvent());
        return true;
    }
}
