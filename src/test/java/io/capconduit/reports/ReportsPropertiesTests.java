package io.capconduit.reports;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportsPropertiesTests {

    private static final Path FOLDER = Path.of("reports");
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    /** A limit PostgreSQL or the report's LIMIT max-rows + 1 cannot take stops start-up, not the first export. */
    @Test
    void limitsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new ReportsProperties(FOLDER, 0, 31, FIVE_MINUTES, FIVE_MINUTES))
                .hasMessageContaining("max-rows");
        assertThatThrownBy(() -> new ReportsProperties(FOLDER, Integer.MAX_VALUE, 31, FIVE_MINUTES, FIVE_MINUTES))
                .hasMessageContaining("max-rows");
        assertThatThrownBy(() -> new ReportsProperties(FOLDER, 100, 0, FIVE_MINUTES, FIVE_MINUTES))
                .hasMessageContaining("max-export-days");
        assertThatThrownBy(() -> new ReportsProperties(FOLDER, 100, 31, Duration.ZERO, FIVE_MINUTES))
                .hasMessageContaining("export-statement-timeout");
        assertThatThrownBy(() -> new ReportsProperties(FOLDER, 100, 31, FIVE_MINUTES, Duration.ofDays(25)))
                .hasMessageContaining("export-idle-timeout");
    }
}
