package io.capconduit.reports;

import java.nio.file.Path;
import java.time.Duration;

import io.capconduit.system.TimedReads;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Reports' settings ({@code capconduit.reports.*}).
 *
 * @param folder where the nightly report job writes its workbooks
 * @param maxRows most rows a report (GraphQL or export) may hold: it is held in memory whole
 * @param maxExportDays widest call-log export: it reads in one transaction, whose snapshot holds back vacuum
 * @param exportStatementTimeout longest one fetch of a call-log export's query may run
 * @param exportIdleTimeout longest a call-log export's transaction may wait for a stalled download between fetches
 */
@ConfigurationProperties("capconduit.reports")
public record ReportsProperties(@DefaultValue("./reports") Path folder, @DefaultValue("100000") int maxRows,
        @DefaultValue("31") int maxExportDays, @DefaultValue("5m") Duration exportStatementTimeout,
        @DefaultValue("5m") Duration exportIdleTimeout) {

    public ReportsProperties {
        if (maxRows < 1 || maxRows == Integer.MAX_VALUE || maxExportDays < 1 || !TimedReads.validTimeout(exportStatementTimeout)
                || !TimedReads.validTimeout(exportIdleTimeout)) {
            throw new IllegalArgumentException("capconduit.reports: max-rows and max-export-days must be at least 1, "
                    + "export-statement-timeout and export-idle-timeout from 1ms to 24 days");
        }
    }
}
