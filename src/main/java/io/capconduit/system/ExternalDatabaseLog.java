package io.capconduit.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Says which external PostgreSQL is in use (the embedded one announces itself when it starts). */
@Component
@Conditional(ExternalDatabaseLog.DataSourceUrlSet.class)
class ExternalDatabaseLog implements ApplicationListener<ApplicationStartedEvent> {

    private static final Logger log = LoggerFactory.getLogger(ExternalDatabaseLog.class);

    private final Environment environment;

    ExternalDatabaseLog(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void onApplicationEvent(ApplicationStartedEvent event) {
        String url = environment.getProperty("spring.datasource.url", "");
        // Drop URL parameters: they may carry a password.
        int query = url.indexOf('?');
        log.info("Using the external PostgreSQL at {} as user {} (spring.datasource.url is set, so no embedded "
                + "database was started)", query < 0 ? url : url.substring(0, query),
                environment.getProperty("spring.datasource.username", "(from the URL)"));
    }

    static class DataSourceUrlSet extends EmbeddedDatabaseConfiguration.NoDataSourceUrl {
        @Override
        public boolean matches(org.springframework.context.annotation.ConditionContext context,
                org.springframework.core.type.AnnotatedTypeMetadata metadata) {
            return !super.matches(context, metadata);
        }
    }
}
