package io.capconduit.system;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argument checks shared by the services. Each throws {@link InvalidInputException} naming the field, so a
 * caller learns exactly what to fix; services call them before writing, never relying on a CHECK constraint.
 */
public final class InputChecks {

    private static final Set<String> POSTGRESQL_ABBREVIATIONS = Set.of("CET", "EET", "MET", "WET");

    private static final Pattern HOST_NAME = Pattern.compile(
            "(?i)^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$");
    private static final Pattern IPV4 = Pattern.compile(
            "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
    private static final Pattern CIDR = Pattern.compile("^(?<address>[^/]+)(/(?<prefix>12[0-8]|1[01]\\d|[1-9]?\\d))?$");
    private static final Pattern IPV6_GROUP = Pattern.compile("(?i)^[0-9a-f]{1,4}$");
    /** The IPv4-mapped IPv6 block (::ffff:0:0/96): Asterisk matches IPv4 callers against it. */
    private static final byte[] IPV4_MAPPED = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};
    /** Reserved: Asterisk's anonymous identifier gives every unidentified INVITE to an endpoint of this name. */
    private static final String ANONYMOUS = "anonymous";
    private static final Pattern NAME_TOKEN = Pattern.compile("^[A-Za-z0-9_-]{1,40}$");
    /** A sound as Playback takes it: relative to the sounds directory, no extension (see campaigns in V9_82_0). */
    private static final Pattern SOUND_NAME = Pattern.compile("^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$");
    private static final int SOUND_NAME_MAX = 128;

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
                    + (value == null ? "" : ", not '" + InvalidInputException.shown(value) + "'"));
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

    /** A host name or IP address a SIP URI can point at; an IPv6 address with or without its brackets. */
    public static String host(String field, String value) {
        String host = value == null ? "" : value.strip();
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        boolean valid = bracketed || host.contains(":")
                ? ipv6(bracketed ? host.substring(1, host.length() - 1) : host) != null
                : HOST_NAME.matcher(host).matches();
        if (!valid) {
            throw new InvalidInputException(field, "must be a host name or IP address");
        }
        return host;
    }

    /**
     * A host a SIP contact points at ({@code sip:[user@]host:port}): a {@link #host} of at most 127 characters, the
     * longest pjproject's hostname buffer takes. Asterisk refuses an AOR with a longer one when it loads it ("Contact
     * uri or hostname length exceeds pjproject limit"), and the endpoint can then not be called at all.
     */
    public static String sipHost(String field, String value) {
        String host = host(field, value);
        if (host.length() > 127) {
            throw new InvalidInputException(field, "must be at most 127 characters: Asterisk (pjproject) refuses a "
                    + "SIP contact with a longer host, and the endpoint could not be called");
        }
        return host;
    }

    /**
     * An IPv4/IPv6 address with an optional /prefix, as PJSIP identify matches take them. A trunk's addresses say
     * which calls are the carrier's, so a range wider than an IPv4 /8 or an IPv6 /32 (0.0.0.0/0, ::/0, and the
     * IPv4-mapped ::ffff:0:0/96, which Asterisk matches IPv4 callers against) is refused: it would take calls from a
     * good part of the internet as the carrier's.
     */
    public static String ipOrCidr(String field, String value) {
        String ip = value == null ? "" : value.strip();
        Matcher cidr = CIDR.matcher(ip);
        if (!cidr.matches()) {
            throw new InvalidInputException(field,
                    "'" + InvalidInputException.shown(ip) + "' is not an IP address or CIDR range");
        }
        String address = cidr.group("address");
        Integer prefix = cidr.group("prefix") == null ? null : Integer.valueOf(cidr.group("prefix"));
        if (IPV4.matcher(address).matches() && (prefix == null || prefix <= 32)) {
            if (prefix != null && prefix < 8) {
                throw tooWide(field, ip, "an IPv4 range must be /8 or narrower");
            }
            return ip;
        }
        byte[] v6 = address.contains(":") ? ipv6(address) : null;
        if (v6 == null) {
            throw new InvalidInputException(field,
                    "'" + InvalidInputException.shown(ip) + "' is not an IP address or CIDR range");
        }
        int bits = prefix == null ? 128 : prefix;
        if (bits < 32) {
            throw tooWide(field, ip, "an IPv6 range must be /32 or narrower");
        }
        if (bits < 96 + 8 && samePrefix(v6, IPV4_MAPPED, Math.min(bits, 96))) {
            throw tooWide(field, ip, "it holds IPv4-mapped addresses of a range wider than an IPv4 /8");
        }
        return ip;
    }

    private static InvalidInputException tooWide(String field, String ip, String rule) {
        return new InvalidInputException(field,
                "'" + InvalidInputException.shown(ip) + "' is too wide: " + rule + ", since every call from the "
                + "range would be taken as the carrier's");
    }

    private static boolean samePrefix(byte[] address, byte[] block, int bits) {
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((address[i / 8] & mask) != (block[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The 16 bytes of an IPv6 address in text form (RFC 4291 2.2: "::" once at most, a dotted IPv4 tail), or null. */
    static byte[] ipv6(String text) {
        String head = text;
        byte[] tail = new byte[0];
        int lastColon = text.lastIndexOf(':');
        if (lastColon >= 0 && text.indexOf('.', lastColon) > 0) {
            String dotted = text.substring(lastColon + 1);
            if (!IPV4.matcher(dotted).matches()) {
                return null;
            }
            tail = new byte[4];
            String[] octets = dotted.split("\\.");
            for (int i = 0; i < 4; i++) {
                tail[i] = (byte) Integer.parseInt(octets[i]);
            }
            head = text.endsWith("::" + dotted) ? text.substring(0, lastColon + 1) : text.substring(0, lastColon);
        }
        int words = (16 - tail.length) / 2;
        int gap = head.indexOf("::");
        if (gap != head.lastIndexOf("::")) {
            return null;
        }
        String[] left = groups(gap < 0 ? head : head.substring(0, gap));
        String[] right = gap < 0 ? new String[0] : groups(head.substring(gap + 2));
        if (left == null || right == null || (gap < 0 ? left.length != words : left.length + right.length >= words)) {
            return null;
        }
        byte[] address = new byte[16];
        for (int i = 0; i < left.length; i++) {
            putWord(address, i, left[i]);
        }
        for (int i = 0; i < right.length; i++) {
            putWord(address, words - right.length + i, right[i]);
        }
        System.arraycopy(tail, 0, address, 16 - tail.length, tail.length);
        return address;
    }

    private static String[] groups(String part) {
        if (part.isEmpty()) {
            return new String[0];
        }
        String[] groups = part.split(":", -1);
        for (String group : groups) {
            if (!IPV6_GROUP.matcher(group).matches()) {
                return null;
            }
        }
        return groups;
    }

    private static void putWord(byte[] address, int word, String hex) {
        int value = Integer.parseInt(hex, 16);
        address[word * 2] = (byte) (value >>> 8);
        address[word * 2 + 1] = (byte) value;
    }

    /**
     * A sound file name the dialplan hands to Playback as it is, or null: segments of letters, digits, _ and -
     * joined by / (so no "..", no leading /, no extension, no comma, &amp; or option), at most 128 characters.
     */
    public static String soundName(String field, String value) {
        if (value != null && (value.length() > SOUND_NAME_MAX || !SOUND_NAME.matcher(value).matches())) {
            throw new InvalidInputException(field, "must be a sound file name such as custom/sorry (letters, digits, "
                    + "_ and - in parts joined by /, no extension, at most " + SOUND_NAME_MAX + " characters)");
        }
        return value;
    }

    /** An identifier safe in a PJSIP endpoint id and a dial string: letters, digits, - and _. */
    public static String token(String field, String value) {
        if (value == null || !NAME_TOKEN.matcher(value).matches()) {
            throw new InvalidInputException(field, "must be 1 to 40 letters, digits, - or _");
        }
        return value;
    }

    /**
     * A PJSIP endpoint id other than {@code anonymous}, in any case: with the anonymous identifier (pjsip.conf
     * endpoint_identifier_order) Asterisk gives that endpoint every INVITE no other endpoint is identified for.
     */
    public static String unreservedEndpointId(String field, String value) {
        if (value != null && ANONYMOUS.equalsIgnoreCase(value.strip())) {
            throw new InvalidInputException(field,
                    "'" + InvalidInputException.shown(value.strip()) + "' is reserved: Asterisk gives the endpoint "
                    + "named anonymous every call no other endpoint is identified for");
        }
        return value;
    }
}
