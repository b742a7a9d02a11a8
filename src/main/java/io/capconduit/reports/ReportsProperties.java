package io.capconduit.reports;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Reports' settings ({@code capconduit.reports.*}): where the nightly job writes its workbooks, the most rows a
 * report (or its export) may hold, the widest call-log export, and how long that export's read transaction may
 * run a fetch or wait for a slow download before PostgreSQL ends it.
 */
@ConfigurationProperties("capconduit.reports")
public record ReportsProperties(@DefaultValue("./reports") Path folder, @DefaultValue("100000") int maxRows,
        @DefaultValue("31") int maxExportDays, @DefaultValue("5m") Duration exportStatementTimeout,
        @DefaultValue("5m") Duration exportIdleTimeout) {
}
