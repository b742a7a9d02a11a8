package io.capconduit.leads;

import java.math.BigDecimal;
import java.util.List;

/**
 * Turns one data row into a line of PostgreSQL COPY text for the staging table, or into a reject line naming
 * the row, the raw value and the reason. Runs on the parsing thread, so the writing thread only ships bytes.
 * A DNC import ({@code phoneOnly}) looks at the phone cell alone: a number someone asked not to be called must
 * not be dropped because of a broken notes cell or a long name.
 */
final class LeadRowConverter {

    static final int BLANK = -1;
    static final int REJECTED = 0;
    static final int STAGED = 1;
    /** The extra attribute a phone's extension is kept under, unless a column of that name holds something else. */
    static final String PHONE_EXTENSION = "phone_extension";

    private static final LeadField[] STAGED_FIELDS = { LeadField.FIRST_NAME, LeadField.LAST_NAME,
        LeadField.FULL_NAME, LeadField.EMAIL, LeadField.ADDRESS, LeadField.CITY, LeadField.STATE,
        LeadField.POSTAL_CODE, LeadField.COUNTRY };

    private final ColumnMapping mapping;
    private final PhoneNumbers phones;
    private final String region;
    private final String jobInstanceId;
    private final boolean phoneOnly;
    private final boolean keepsExtension;
    private final String[] fields = new String[LeadField.values().length];
    private final StringBuilder json = new StringBuilder();

    LeadRowConverter(ColumnMapping mapping, PhoneNumbers phones, String region, long jobInstanceId,
            boolean phoneOnly) {
        this.mapping = mapping;
        this.phones = phones;
        this.region = region;
        this.jobInstanceId = Long.toString(jobInstanceId);
        this.phoneOnly = phoneOnly;
        this.keepsExtension = !mapping.extraNames().contains(PHONE_EXTENSION);
    }

    int convert(int row, String[] values, byte[] kinds, int count, StringBuilder stage, StringBuilder rejects) {
        if (isBlank(values, count)) {
            return BLANK;
        }
        for (int i = 0; i < count && !phoneOnly; i++) {
            if (kinds[i] == CellKind.ERROR) {
                return reject(rejects, row, values[i], "the " + columnLabel(i) + " cell holds the spreadsheet error "
                        + values[i]);
            }
            if (kinds[i] == CellKind.FORMULA) {
                return reject(rejects, row, values[i], "the " + columnLabel(i) + PhoneNumbers.UNCALCULATED);
            }
        }
        int phoneColumn = mapping.column(LeadField.PHONE);
        String rawPhone = phoneColumn < count ? values[phoneColumn] : "";
        PhoneNumbers.Parsed phone = phones.parse(rawPhone, phoneColumn < count ? kinds[phoneColumn] : CellKind.TEXT,
                region);
        if (phone.e164() == null) {
            return reject(rejects, row, rawPhone, phone.reason());
        }
        if (phoneOnly) {
            stage.append(row).append('\t');
            CopyText.append(stage, phone.e164()).append("\t\\N\t\\N");
            // no raw phone: a DNC import rejects nothing after staging
            stage.append("\t\\N".repeat(STAGED_FIELDS.length)).append("\t{}\t\\N\n");
            return STAGED;
        }
        // a dialer that calls it pays by the minute, to whoever put it in the file
        if (phone.premiumRate()) {
            return reject(rejects, row, rawPhone, phone.e164() + " is a premium-rate number: calling it costs the caller");
        }
        for (LeadField field : STAGED_FIELDS) {
            int column = mapping.column(field);
            String value = value(values, kinds, count, column);
            if (field == LeadField.POSTAL_CODE && value != null && kinds[column] == CellKind.NUMBER
                    && "US".equals(region)) {
                value = usZip(value);
            }
            // characters, as PostgreSQL counts them: an emoji is two UTF-16 units
            if (value != null && value.codePointCount(0, value.length()) > field.maxLength()) {
                return reject(rejects, row, value, field.label() + " is longer than " + field.maxLength()
                        + " characters");
            }
            fields[field.ordinal()] = value;
        }
        // a US state or ZIP code says nothing of a number outside North America (WA is also Western Australia)
        PhoneNumbers.LeadZone zone = PhoneNumbers.zoneFor(phone.zones(), phone.e164().startsWith("+1")
                ? UsRegions.zoneOf(fields[LeadField.STATE.ordinal()], fields[LeadField.POSTAL_CODE.ordinal()]) : null);
        stage.append(row).append('\t');
        CopyText.append(stage, phone.e164()).append('\t');
        CopyText.append(stage, zone.zone()).append('\t');
        // an array literal: zone ids are letters, digits and "/_+-", nothing that needs quoting
        CopyText.append(stage, zone.candidates() == null ? null : "{" + String.join(",", zone.candidates()) + "}");
        for (LeadField field : STAGED_FIELDS) {
            CopyText.append(stage.append('\t'), fields[field.ordinal()]);
        }
        CopyText.append(stage.append('\t'), extra(values, kinds, count, phone.extension())).append('\t');
        // the phone cell as written, for the reject report if the merge finds the number on the DNC list
        CopyText.append(stage, rawPhone).append('\n');
        return STAGED;
    }

    private String extra(String[] values, byte[] kinds, int count, String extension) {
        List<Integer> columns = mapping.extraColumns();
        json.setLength(0);
        json.append('{');
        for (int i = 0; i < columns.size(); i++) {
            appendExtra(mapping.extraNames().get(i), value(values, kinds, count, columns.get(i)));
        }
        // the lead's number cannot hold it, and an agent reaching a switchboard needs it
        if (extension != null && keepsExtension) {
            appendExtra(PHONE_EXTENSION, extension);
        }
        // a cell beyond the header row is kept too: dropping it loses what the sender wrote
        for (int column = mapping.width(); column < count; column++) {
            appendExtra(ColumnMapping.extraName(column), value(values, kinds, count, column));
        }
        return json.append('}').toString();
    }

    private void appendExtra(String name, String value) {
        if (value != null) {
            if (json.length() > 1) {
                json.append(',');
            }
            CopyText.appendJsonString(json, name).append(':');
            CopyText.appendJsonString(json, value);
        }
    }

    private int reject(StringBuilder rejects, int row, String raw, String reason) {
        rejects.append(jobInstanceId).append('\t').append(row).append('\t');
        CopyText.append(rejects, raw).append('\t');
        CopyText.append(rejects, reason).append('\n');
        return REJECTED;
    }

    private String columnLabel(int column) {
        for (LeadField field : LeadField.values()) {
            if (mapping.column(field) == column) {
                return field.label();
            }
        }
        int extra = mapping.extraColumns().indexOf(column);
        return extra < 0 ? "column " + (column + 1) : "'" + mapping.extraNames().get(extra) + "'";
    }

    private static String value(String[] values, byte[] kinds, int count, int column) {
        if (column < 0 || column >= count) {
            return null;
        }
        String value = values[column].strip();
        if (value.isEmpty()) {
            return null;
        }
        return kinds[column] == CellKind.NUMBER ? new BigDecimal(value).stripTrailingZeros().toPlainString() : value;
    }

    /**
     * A US ZIP code a spreadsheet stored as a number lost its leading zeros (07030 became 7030; Excel shows it
     * with the 00000 format): put them back, ZIP+4 too (00000-0000).
     */
    static String usZip(String number) {
        if (!number.matches("\\d{1,9}") || number.length() == 5) {
            return number;
        }
        if (number.length() < 5) {
            return "0".repeat(5 - number.length()) + number;
        }
        String nine = "0".repeat(9 - number.length()) + number;
        return nine.substring(0, 5) + "-" + nine.substring(5);
    }

    static boolean isBlank(String[] values, int count) {
        for (int i = 0; i < count; i++) {
            if (!values[i].isBlank()) {
                return false;
            }
        }
        return true;
    }
}
