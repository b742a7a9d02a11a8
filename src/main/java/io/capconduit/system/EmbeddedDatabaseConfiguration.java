package io.capconduit.system;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Starts the embedded PostgreSQL when no {@code spring.datasource.url} is configured, and makes it the
 * application's data source. With a URL set, this configuration steps aside and Boot connects to that server.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoDataSourceUrl.class)
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgresServer(EmbeddedDatabaseProperties properties) {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(properties);
        log.info("Using the embedded PostgreSQL 17: host 127.0.0.1, port {}, database {}, user {}, data folder {} "
                        + "(Asterisk connects here over ODBC; set spring.datasource.url to use another server)",
                server.port(), properties.database(), properties.username(),
                properties.dataDir().toAbsolutePath().normalize());
        return server;
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgresServer server) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(server.jdbcUrl());
        dataSource.setUsername(server.properties().username());
        dataSource.setPassword(server.properties().password());
        dataSource.setPoolName("capconduit");
        return dataSource;
    }

    static class NoDataSourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
        }
    }

}
