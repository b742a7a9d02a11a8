package io.capconduit.leads;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvRowSourceTests {

    @TempDir
    Path folder;

    @Test
    void detectsTheDelimiterAndReadsQuotedCells() throws IOException {
        assertThat(rows("a;b;\"c;d\"\n1;\"2\"\"x\";3\n")).containsExactly(List.of("a", "b", "c;d"), List.of("1", "2\"x", "3"));
        assertThat(rows("a\tb\n1\t2")).containsExactly(List.of("a", "b"), List.of("1", "2"));
        assertThat(rows("a|b,c|d\n1|2,3|4\n")).containsExactly(List.of("a", "b,c", "d"), List.of("1", "2,3", "4"));
        assertThat(rows("a,b\r\n1,\"line\r\nbreak\"\r\n,\r\n")).containsExactly(List.of("a", "b"),
                List.of("1", "line\r\nbreak"), List.of("", ""));
    }

    @Test
    void guessesTheDelimiterFromTheFirstNonBlankLine() throws IOException {
        assertThat(rows("\r\nphone;name\r\n2015550123;Ann")).containsExactly(List.of(""), List.of("phone", "name"),
                List.of("2015550123", "Ann"));
        assertThat(rows("\n \n\"a;b\",c,d\n1,2,3\n")).containsExactly(List.of(""), List.of(" "),
                List.of("a;b", "c", "d"), List.of("1", "2", "3"));
    }

    @Test
    void honoursExcelsSepLine() throws IOException {
        assertThat(rows("sep=;\r\nphone;name, first\r\n1;Ann, B\r\n")).containsExactly(List.of("phone", "name, first"),
                List.of("1", "Ann, B"));
        assertThat(rows("\uFEFFSEP=|\nphone|a,b,c\n")).containsExactly(List.of("phone", "a,b,c"));
    }

    @Test
    void skipsTheByteOrderMark() throws IOException {
        assertThat(rows("\uFEFFphone\n1\n")).containsExactly(List.of("phone"), List.of("1"));
    }

    @Test
    void refusesTextThatIsNotUtf8() throws IOException {
        Path file = folder.resolve("latin1.csv");
        Files.write(file, "name\nJos\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> new CsvRowSource(file).read((n, v, k, c) -> { }))
                .isInstanceOf(LeadImportException.class).hasMessageContaining("save it as xlsx, or as csv in UTF-8");
    }

    private List<List<String>> rows(String content) throws IOException {
        Path file = folder.resolve("rows.csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        List<List<String>> rows = new ArrayList<>();
        new CsvRowSource(file).read((number, values, kinds, count) -> rows.add(Arrays.asList(Arrays.copyOf(values, count))));
        return rows;
    }
}
