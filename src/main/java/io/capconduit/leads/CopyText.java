package io.capconduit.leads;

/** Writes values in PostgreSQL's COPY text format (and JSON strings inside it). */
final class CopyText {

    private CopyText() {
    }

    /** Appends a value escaped for COPY text; null becomes \N. */
    static StringBuilder append(StringBuilder out, String value) {
        if (value == null) {
            return out.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\0' -> {
                    // PostgreSQL text cannot hold NUL; a spreadsheet cell has no business with one either
                }
                default -> out.append(c);
            }
        }
        return out;
    }

    static StringBuilder appendJsonString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                // jsonb refuses \u0000 (and so would every restart of the same chunk): dropped as in plain text
                continue;
            }
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            }
            else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            }
            else {
                out.append(c);
            }
        }
        return out.append('"');
    }
}
