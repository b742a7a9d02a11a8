package io.capconduit.system;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The statement timeout of reports and lists ({@code capconduit.reports.statement-timeout}), beside the reports'
 * other settings; bound here because the call-log and cdr lists (calls) use it as well as reports.
 *
 * @param statementTimeout longest one report, cap-usage, call-log or cdr list query may run
 */
@ConfigurationProperties("capconduit.reports")
public record ReadTimeoutProperties(@DefaultValue("30s") Duration statementTimeout) {

    public ReadTimeoutProperties {
        if (!TimedReads.validTimeout(statementTimeout)) {
            throw new IllegalArgumentException("capconduit.reports.statement-timeout must be from 1ms to 24 days, not "
                    + statementTimeout);
        }
    }
}
