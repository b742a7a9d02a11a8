package io.capconduit.leads;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which column holds which lead field, decided from the header row: first by an explicit mapping
 * ({@code phone=Cell Number, first_name=Given}), then by common aliases, the strongest winning (a "Phone" column
 * before a "Number" column left of it). Columns left over are kept as extra attributes under their header text
 * ({@code Notes_2} for a second "Notes"; {@code column_7} under an empty header or beyond the header row).
 */
final class ColumnMapping {

    private final int[] columnOf = new int[LeadField.values().length];
    private final List<Integer> extraColumns = new ArrayList<>();
    private final List<String> extraNames = new ArrayList<>();
    /** The names taken, and per header text the next suffix to try: a header repeated 16,384 times costs no more. */
    private final Set<String> taken = new HashSet<>();
    private final Map<String, Integer> nextSuffix = new HashMap<>();
    private int width;

    private ColumnMapping() {
        Arrays.fill(columnOf, -1);
    }

    static ColumnMapping of(String[] header, int count, String explicit) {
        ColumnMapping mapping = new ColumnMapping();
        Map<LeadField, String> wanted = parseExplicit(explicit);
        wanted.forEach((field, column) -> {
            int index = indexOf(header, count, column);
            if (index < 0) {
                throw new LeadImportException("The mapping names column '" + column + "' for " + field.label()
                        + ", but the header row has no such column");
            }
            mapping.columnOf[field.ordinal()] = index;
        });
        mapping.width = count;
        for (LeadField field : LeadField.values()) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i < count && mapping.columnOf[field.ordinal()] < 0; i++) {
                int rank = mapping.isMapped(i) ? -1 : field.rank(normalise(header[i]));
                if (rank >= 0 && rank < bestRank) {
                    best = i;
                    bestRank = rank;
                }
            }
            if (best >= 0) {
                mapping.columnOf[field.ordinal()] = best;
            }
        }
        for (int i = 0; i < count; i++) {
            if (!mapping.isMapped(i)) {
                mapping.extraColumns.add(i);
                mapping.extraNames.add(mapping.uniqueName(header[i].isBlank() ? extraName(i) : header[i].strip()));
            }
        }
        if (mapping.column(LeadField.PHONE) < 0) {
            throw new LeadImportException("The header row has no phone column (looked for phone, phone_number, "
                    + "mobile, cell, tel, telephone); found: " + String.join(", ", Arrays.copyOf(header, count))
                    + ". Rename the column or give a mapping such as phone=<column>");
        }
        return mapping;
    }

    int column(LeadField field) {
        return columnOf[field.ordinal()];
    }

    List<Integer> extraColumns() {
        return extraColumns;
    }

    List<String> extraNames() {
        return extraNames;
    }

    /** Columns the header row spans; a cell beyond them is kept under {@link #extraName}. */
    int width() {
        return width;
    }

    /** The name of an extra attribute from a column without a header: column_7 for the 7th column. */
    static String extraName(int column) {
        return "column_" + (column + 1);
    }

    private String uniqueName(String name) {
        String unique = name;
        int n = nextSuffix.getOrDefault(name, 2);
        while (!taken.add(unique)) {
            unique = name + "_" + n++;
        }
        nextSuffix.put(name, n);
        return unique;
    }

    private boolean isMapped(int column) {
        return Arrays.stream(columnOf).anyMatch(c -> c == column);
    }

    private static Map<LeadField, String> parseExplicit(String explicit) {
        Map<LeadField, String> wanted = new EnumMap<>(LeadField.class);
        if (explicit == null || explicit.isBlank()) {
            return wanted;
        }
        for (String pair : explicit.split(",")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair.strip() : pair.substring(0, equals).strip();
            LeadField field = Arrays.stream(LeadField.values())
                    .filter(f -> f.label().equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new LeadImportException("The mapping names an unknown field '" + name
                            + "'; fields are " + Arrays.stream(LeadField.values()).map(LeadField::label).toList()));
            if (equals < 0 || pair.substring(equals + 1).isBlank()) {
                throw new LeadImportException("The mapping for " + field.label() + " names no column");
            }
            wanted.put(field, pair.substring(equals + 1).strip());
        }
        return wanted;
    }

    private static int indexOf(String[] header, int count, String column) {
        for (int i = 0; i < count; i++) {
            if (header[i].strip().equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    static String normalise(String header) {
        StringBuilder out = new StringBuilder(header.length());
        for (char c : header.toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
