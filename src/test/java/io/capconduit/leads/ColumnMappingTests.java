package io.capconduit.leads;

import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ColumnMappingTests {

    @Test
    void repeatedHeadersGetNumberedNamesInTimeProportionalToTheHeader() {
        // Excel's 16,384 columns all headed "Notes" (32 KB of csv): each name was checked against every name
        // before it, once per suffix tried, and the import's thread never got past the header row
        String[] header = new String[16_384];
        Arrays.fill(header, "Notes");
        header[0] = "phone";
        header[2] = "Notes_3";

        ColumnMapping mapping = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> ColumnMapping.of(header, header.length, null));

        assertThat(mapping.extraNames()).hasSize(16_383).doesNotHaveDuplicates()
                .startsWith("Notes", "Notes_3", "Notes_2", "Notes_4", "Notes_5").endsWith("Notes_16383");
    }
}
