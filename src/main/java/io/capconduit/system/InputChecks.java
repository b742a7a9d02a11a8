package io.capconduit.system;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Argument checks shared by the services. Each throws {@link InvalidInputException} naming the field, so a
 * caller learns exactly what to fix; services call them before writing, never relying on a CHECK constraint.
 */
public final class InputChecks {

    private static final Set<String> POSTGRESQL_ABBREVIATIONS = Set.of("CET", "EET", "MET", "WET");

    private static final Pattern HOST = Pattern.compile(
            "(?i)^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
                    + "|^\\[?[0-9a-f:.]+]?$");
    private static final Pattern IPV4_CIDR = Pattern.compile(
            "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(/(3[0-2]|[12]?\\d))?$");
    private static final Pattern IPV6_CIDR = Pattern.compile("(?i)^[0-9a-f:]*:[0-9a-f:.]*(/(12[0-8]|1[01]\\d|[1-9]?\\d))?$");
    private static final Pattern NAME_TOKEN = Pattern.compile("^[A-Za-z0-9_-]{1,40}$");

    private InputChecks() {
    }

    /** The value if present, else the current one: how every update applies an optional field. */
    public static <T> T or(T value, T current) {
        return value != null ? value : current;
    }

    /** An optional text update: null keeps {@code current}, blank clears it, anything else is stripped. */
    public static String text(String value, String current) {
        if (value == null) {
            return current;
        }
        return value.isBlank() ? null : value.strip();
    }

    public static String name(String field, String value, int maxLength) {
        if (value == null || value.isBlank() || value.strip().length() > maxLength) {
            throw new InvalidInputException(field, "must be 1 to " + maxLength + " characters");
        }
        return value.strip();
    }

    public static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidInputException(field, "must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }

    public static double range(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new InvalidInputException(field, "must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }

    public static int atLeast(String field, int value, int min) {
        if (value < min) {
            throw new InvalidInputException(field, "must be at least " + min + ", not " + value);
        }
        return value;
    }

    /**
     * An IANA zone name (America/New_York, UTC, Etc/GMT+5), as PostgreSQL's time zone database also knows it. A
     * bare offset (+05:30, UTC+5) is refused: PostgreSQL reads one in POSIX style, east and west swapped, so cap
     * windows, schedules and reports would shift by twice the offset without a word. CET, EET, MET and WET are
     * zones with summer time to Java but fixed-offset abbreviations to PostgreSQL, which reads abbreviations first:
     * refused too (Europe/Paris and the like say the same thing to both).
     */
    public static String timeZone(String field, String value) {
        String id;
        try {
            id = ZoneId.of(value.strip()).getId();
        }
        catch (DateTimeException | NullPointerException ex) {
            id = null;
        }
        if (id == null || !ZoneId.getAvailableZoneIds().contains(id) || POSTGRESQL_ABBREVIATIONS.contains(id)) {
            throw new InvalidInputException(field, "must be an IANA time zone such as America/New_York"
                    + (value == null ? "" : ", not '" + value + "'"));
        }
        return id;
    }

    /**
     * An update's time zone: the given one, checked, else the current one unchecked, so a zone stored before the
     * check (an offset) does not block changes to the other fields.
     */
    public static String timeZoneOr(String field, String value, String current) {
        return value == null ? current : timeZone(field, value);
    }

    /** A host name or IP address a SIP URI can point at. */
    public static String host(String field, String value) {
        if (value == null || !HOST.matcher(value.strip()).matches()) {
            throw new InvalidInputException(field, "must be a host name or IP address");
        }
        return value.strip();
    }

    /** An IPv4/IPv6 address with an optional /prefix, as PJSIP identify matches take them. */
    public static String ipOrCidr(String field, String value) {
        String ip = value == null ? "" : value.strip();
        if (!IPV4_CIDR.matcher(ip).matches() && !IPV6_CIDR.matcher(ip).matches()) {
            throw new InvalidInputException(field, "'" + ip + "' is not an IP address or CIDR range");
        }
        return ip;
    }

    /** An identifier safe in a PJSIP endpoint id and a dial string: letters, digits, - and _. */
    public static String token(String field, String value) {
        if (value == null || !NAME_TOKEN.matcher(value).matches()) {
            throw new InvalidInputException(field, "must be 1 to 40 letters, digits, - or _");
        }
        return value;
    }
}
