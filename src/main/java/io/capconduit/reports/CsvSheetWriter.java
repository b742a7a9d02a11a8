package io.capconduit.reports;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Streams RFC 4180 CSV in UTF-8, with a byte-order mark so Excel reads it as UTF-8 (not the ANSI code page): a
 * header line, then one line per row. Date-times as "2026-11-22 14:05:00", rates as fractions (0.25). Text that a
 * spreadsheet would run as a formula is prefixed with an apostrophe: text starting with =, @, a tab or a carriage
 * return, and text starting with + or - unless it is a plain number (+18005550101, -5, -2.5); +1-800-555-0101
 * would be sums. So is each part of a text after a semicolon, for an Excel that splits lines at semicolons. A
 * second sheet follows after a blank line with its own header. The file is for programs: Excel still turns id-like
 * text into numbers (1732812345.10 into 1732812345.1), the xlsx export keeps it as text.
 */
public class CsvSheetWriter implements SheetWriter {

    /** A sign, then a number a spreadsheet reads as one: nothing it would evaluate as a sum. */
    private static final Pattern PLAIN_NUMBER = Pattern.compile("[+-][0-9]+(\\.[0-9]+)?");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private final Writer out;
    private boolean first = true;
    private boolean abandoned;

    CsvSheetWriter(OutputStream out) throws IOException {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        this.out.write('\uFEFF');
    }

    @Override
    public void startSheet(String name, List<Column> columns) throws IOException {
        if (!first) {
            out.write("\r\n");
        }
        first = false;
        row(columns.stream().map(Column::title).toArray());
    }

    @Override
    public void row(Object... values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(text(values[i]));
        }
        out.write("\r\n");
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof LocalDateTime time) {
            return time.format(DATE_TIME);
        }
        String text = value instanceof String string ? neutralised(string) : value.toString();
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }

    /**
     * The text with an apostrophe before its start, and before each part after a semicolon, that a spreadsheet would
     * run as a formula: Excel where the list separator is ';' splits a csv's lines at semicolons, so "1;=SUM(A1)"
     * puts "=SUM(A1)" at the start of a cell of its own.
     */
    public static String neutralised(String text) {
        if (text.indexOf(';') < 0) {
            return runsAsFormula(text) ? "'" + text : text;
        }
        return Arrays.stream(text.split(";", -1)).map(part -> runsAsFormula(part) ? "'" + part : part)
                .collect(Collectors.joining(";"));
    }

    /** Whether a spreadsheet opening this text from a CSV file would run it as a formula. */
    public static boolean runsAsFormula(String text) {
        if (text.isEmpty()) {
            return false;
        }
        char first = text.charAt(0);
        if (first == '=' || first == '@' || first == '\t' || first == '\r') {
            return true;
        }
        return (first == '+' || first == '-') && !PLAIN_NUMBER.matcher(text).matches();
    }

    @Override
    public void abandon() {
        abandoned = true;
    }

    @Override
    public void close() throws IOException {
        if (!abandoned) {
            out.flush();
        }
    }
}
