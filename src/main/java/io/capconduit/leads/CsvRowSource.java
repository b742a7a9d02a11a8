package io.capconduit.leads;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A hand-rolled RFC 4180 tokenizer (quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF) over
 * a UTF-8 file with or without BOM. The delimiter is whichever of {@code , ; TAB |} the first non-blank line
 * uses most, or the one an Excel {@code sep=} first line names.
 * Row numbers count records, so a quoted multi-line cell is one row, as in a spreadsheet.
 */
final class CsvRowSource implements RowSource {

    private static final char[] DELIMITERS = { ',', ';', '\t', '|' };
    private static final int MAX_CELL = 1 << 20;

    private final Path file;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;
    private Reader reader;
    private char[] cell = new char[256];
    private String[] values = new String[32];
    private byte[] kinds = new byte[32];

    CsvRowSource(Path file) {
        this.file = file;
    }

    @Override
    public void read(RowHandler handler) throws IOException {
        try (Reader in = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder())) {
            this.reader = in;
            fill();
            if (limit > 0 && buffer[0] == '\uFEFF') {
                position = 1;
            }
            tokenize(handler, detectDelimiter());
        }
        catch (CharacterCodingException ex) {
            throw new LeadImportException("The file is neither an xlsx workbook nor UTF-8 text (csv): save it as "
                    + "xlsx, or as csv in UTF-8");
        }
    }

    private void tokenize(RowHandler handler, char delimiter) throws IOException {
        int row = 0;
        int count = 0;
        int length = 0;
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (position == limit && !fill()) {
                if (count > 0 || length > 0 || wasQuoted) {
                    if (quoted) {
                        throw new LeadImportException("Row " + (row + 1) + " opens a quoted cell that never closes");
                    }
                    count = endCell(count, length);
                    handler.row(++row, values, kinds, count);
                }
                return;
            }
            char c = buffer[position++];
            if (quoted) {
                if (c == '"') {
                    if (position == limit) {
                        fill();
                    }
                    if (position < limit && buffer[position] == '"') {
                        position++;
                        length = append(length, '"', row);
                    }
                    else {
                        quoted = false;
                    }
                }
                else {
                    length = append(length, c, row);
                }
            }
            else if (c == delimiter) {
                count = endCell(count, length);
                length = 0;
                wasQuoted = false;
            }
            else if (c == '\n' || c == '\r') {
                if (c == '\r') {
                    if (position == limit) {
                        fill();
                    }
                    if (position < limit && buffer[position] == '\n') {
                        position++;
                    }
                }
                count = endCell(count, length);
                handler.row(++row, values, kinds, count);
                count = 0;
                length = 0;
                wasQuoted = false;
            }
            else if (c == '"' && length == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            }
            else {
                length = append(length, c, row);
            }
        }
    }

    private int append(int length, char c, int row) {
        if (length == cell.length) {
            if (length >= MAX_CELL) {
                throw new LeadImportException("Row " + (row + 1) + " has a cell longer than 1 MB: not a lead "
                        + "spreadsheet, or a quote left open");
            }
            cell = Arrays.copyOf(cell, length * 2);
        }
        cell[length] = c;
        return length + 1;
    }

    private int endCell(int count, int length) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
            kinds = Arrays.copyOf(kinds, count * 2);
        }
        values[count] = length == 0 ? "" : new String(cell, 0, length);
        kinds[count] = CellKind.TEXT;
        return count + 1;
    }

    /**
     * Excel's {@code sep=;} first line names the delimiter (and is no row, as in Excel); otherwise counts the
     * candidate delimiters outside quotes on the first non-blank line already in the buffer.
     */
    private char detectDelimiter() {
        if (limit - position >= 5 && String.valueOf(buffer, position, 4).equalsIgnoreCase("sep=")
                && (limit - position == 5 || buffer[position + 5] == '\r' || buffer[position + 5] == '\n')) {
            char delimiter = buffer[position + 4];
            position += 5;
            if (position < limit && buffer[position] == '\r') {
                position++;
            }
            if (position < limit && buffer[position] == '\n') {
                position++;
            }
            return delimiter;
        }
        int[] counts = new int[DELIMITERS.length];
        boolean quoted = false;
        boolean blank = true;
        for (int i = position; i < limit; i++) {
            char c = buffer[i];
            if (c == '"') {
                quoted = !quoted;
                blank = false;
            }
            else if (!quoted && (c == '\n' || c == '\r')) {
                if (!blank) {
                    break;
                }
                Arrays.fill(counts, 0);
            }
            else if (!quoted) {
                boolean delimiter = false;
                for (int d = 0; d < DELIMITERS.length; d++) {
                    if (c == DELIMITERS[d]) {
                        counts[d]++;
                        delimiter = true;
                    }
                }
                blank &= delimiter || Character.isWhitespace(c);
            }
        }
        int best = 0;
        for (int d = 1; d < DELIMITERS.length; d++) {
            if (counts[d] > counts[best]) {
                best = d;
            }
        }
        return DELIMITERS[best];
    }

    private boolean fill() throws IOException {
        if (position < limit) {
            return true;
        }
        int read = reader.read(buffer, 0, buffer.length);
        while (read == 0) {
            read = reader.read(buffer, 0, buffer.length);
        }
        position = 0;
        limit = Math.max(read, 0);
        return read > 0;
    }
}
