package io.capconduit.system;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PostgreSQL's statement_timeout is whole milliseconds in an int, 0 turning it off: a setting outside is refused. */
class ReadTimeoutPropertiesTests {

    @Test
    void aTimeoutPostgresqlCannotTakeIsRefusedAtStartUp() {
        assertThat(new ReadTimeoutProperties(Duration.ofSeconds(30)).statementTimeout()).hasSeconds(30);
        for (Duration refused : new Duration[] { Duration.ZERO, Duration.ofNanos(500_000), Duration.ofSeconds(-1),
                Duration.ofDays(25), Duration.ofSeconds(Long.MAX_VALUE) }) {
            assertThatThrownBy(() -> new ReadTimeoutProperties(refused))
                    .hasMessageContaining("capconduit.reports.statement-timeout");
        }
    }

    @Test
    void aLimitReadsAsAnOperatorWritesIt() {
        assertThat(TimedReads.describe(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(TimedReads.describe(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(TimedReads.describe(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }
}
