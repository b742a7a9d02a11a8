package io.capconduit.leads;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import javax.xml.stream.XMLStreamException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared strings table as Excel writes it, read into a temporary file: the same text POI gives. */
class SharedStringsFileTests {

    private static final String SST = "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
            + "xmlns:x=\"urn:other\" count=\"7\" uniqueCount=\"7\">";

    @Test
    void eachItemIsItsTextRunsJoinedWithoutPhoneticRuns() throws Exception {
        try (SharedStringsFile strings = read(SST
                + "<si><t>plain</t></si>"
                + "<si><r><rPr><b/></rPr><t xml:space=\"preserve\">Rich </t></r><r><t>text</t></r></si>"
                + "<si><t>\u6771\u4eac</t><rPh sb=\"0\" eb=\"2\"><t>\u30c8\u30a6\u30ad\u30e7\u30a6</t></rPh></si>"
                + "<si><t>AT&amp;T &lt;Ops&gt; \"East\" Zo\u00eb \ud83d\udcde</t></si>"
                + "<si><t/></si>"
                + "<si><t>line_x000D_break</t></si>"
                + "<si><t>kept</t><x:t>foreign</x:t></si>"
                + "</sst>")) {
            assertThat(strings.size()).isEqualTo(7);
            assertThat(strings.get(0)).isEqualTo("plain");
            assertThat(strings.get(1)).isEqualTo("Rich text");
            assertThat(strings.get(2)).isEqualTo("\u6771\u4eac");
            assertThat(strings.get(3)).isEqualTo("AT&T <Ops> \"East\" Zo\u00eb \ud83d\udcde");
            assertThat(strings.get(4)).isEmpty();
            assertThat(strings.get(5)).isEqualTo("line\rbreak");
            assertThat(strings.get(6)).isEqualTo("kept");
            assertThatThrownBy(() -> strings.get(7)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a cell refers to shared string 7 of 7");
        }
    }

    @Test
    void aTextLongerThanAnyCellHoldsIsRefusedWhileItIsRead() {
        // Excel keeps at most 32,767 characters in a cell (an escape such as _x000D_ writes one in seven): an item
        // of hundreds of millions, a few MB zipped, filled the heap before any cell asked for it
        String item = "_x000D_".repeat(32_767) + "x";

        assertThatThrownBy(() -> read(SST + "<si><t>" + item + "</t></si></sst>"))
                .isInstanceOf(LeadImportException.class).hasMessage("The workbook's shared strings hold a text longer than the 32,767 characters Excel keeps "
                        + "in a cell: not a lead spreadsheet. Save it again in Excel, or upload it as csv");
    }

    @Test
    void noTableOrAnEmptyPartIsAnEmptyTable() throws Exception {
        try (SharedStringsFile none = SharedStringsFile.fromXml(null, XlsxRowSource.SHEETS);
                SharedStringsFile empty = read("")) {
            assertThat(none.size()).isZero();
            assertThat(empty.size()).isZero();
        }
    }

    @Test
    void thousandsOfStringsEachComeBackAndTheFileGoesOnClose() throws Exception {
        StringBuilder xml = new StringBuilder(SST);
        for (int i = 0; i < 5_000; i++) {
            xml.append("<si><t>lead ").append(i).append(" \u00e9</t></si>");
        }
        Path file;
        try (SharedStringsFile strings = read(xml.append("</sst>").toString())) {
            file = strings.path();
            assertThat(file).exists();
            assertThat(strings.size()).isEqualTo(5_000);
            for (int i : new int[] { 0, 1_023, 1_024, 2_047, 2_048, 4_999 }) {
                assertThat(strings.get(i)).isEqualTo("lead " + i + " \u00e9");
            }
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void aTableWithADocumentTypeIsRefused() {
        assertThatThrownBy(() -> read("<?xml version=\"1.0\"?><!DOCTYPE sst>" + SST + "<si><t>a</t></si></sst>"))
                .isInstanceOf(XMLStreamException.class).hasMessageContaining("never declares a document type");
    }

    @Test
    void filesAKilledImportLeftAreDeletedOnceADayOld(@TempDir Path folder) throws Exception {
        Path old = Files.createFile(folder.resolve("capconduit-shared-strings-1.txt"));
        Path other = Files.createFile(folder.resolve("unrelated.txt"));
        Instant between = Instant.now();
        Thread.sleep(50);   // beyond the file system's clock granularity
        Path recent = Files.createFile(folder.resolve("capconduit-shared-strings-2.txt"));

        assertThat(SharedStringsFile.deleteLeftovers(folder, between.plus(Duration.ofDays(1)), Duration.ofDays(1),
                10)).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(other).exists();
    }

    private static SharedStringsFile read(String xml) throws Exception {
        return SharedStringsFile.fromXml(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                XlsxRowSource.SHEETS);
    }
}
