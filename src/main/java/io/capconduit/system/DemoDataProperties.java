package io.capconduit.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Demo data from {@code sample-data/}: loaded once, on first start against an empty database.
 *
 * @param enabled {@code null} (the default) means on for the embedded database and off for an external one
 * @param scripts the SQL scripts to load, in file-name order (a feature adds its own {@code demo-<feature>.sql})
 */
@ConfigurationProperties("capconduit.demo-data")
public record DemoDataProperties(Boolean enabled, @DefaultValue("classpath*:sample-data/demo-*.sql") String scripts) {
}
