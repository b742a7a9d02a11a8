package io.capconduit.leads;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.capconduit.system.InvalidInputException;

import org.springframework.stereotype.Component;

/**
 * Turns a phone cell into E.164 plus the time zones its number belongs to, with libphonenumber as the judge.
 * A full parse costs microseconds, so North American numbers take a fast path: the digits are read directly
 * and libphonenumber's verdict (valid? which zones?) is cached per area code and exchange (NPA-NXX), which
 * is what decides it for the United States and Canada. Everything else goes through the full parse.
 */
@Component
class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final Set<String> FAST_REGIONS = Set.of("US", "CA");
    private static final short UNKNOWN = 0;
    private static final short INVALID = -1;
    private static final short NOT_FAST = -2;
    /** Added to a valid NPA-NXX's verdict when its numbers are premium-rate (900 in the US and Canada). */
    private static final short PREMIUM = 0x4000;
    private static final int MIN_DIGITS = 7;
    private static final int MAX_DIGITS = 15;
    /** Why a formula cell without a saved result is refused, after the cell's name. */
    static final String UNCALCULATED = " cell holds a formula whose result the file does not keep (written by a "
            + "program that left the calculation to Excel): open the file in Excel and save it again";

    /**
     * Verdict per NPA-NXX: UNKNOWN, INVALID, NOT_FAST, or 1 + index into {@link #zoneSets}, plus {@link #PREMIUM}
     * for premium-rate numbers. Written without
     * locking: a short is written atomically and every writer writes the same verdict, so a stale read only
     * recomputes it.
     */
    private final short[] nanp = new short[1_000_000];
    private volatile List<String>[] zoneSets = newZoneSets(0);

    /**
     * A normalised number, or the reason it was refused ({@code e164 == null}); {@code extension} the digits written
     * after it ("x45", "ext. 45"), which E.164 has no room for, or null; {@code premiumRate} when calling it costs
     * the caller (a valid number all the same: a do-not-call list may hold it, a lead list may not).
     */
    record Parsed(String e164, List<String> zones, String reason, String extension, boolean premiumRate) {

        Parsed(String e164, List<String> zones, String reason) {
            this(e164, zones, reason, null, false);
        }

        static Parsed refused(String reason) {
            return new Parsed(null, List.of(), reason);
        }
    }

    /** A region code numbers without a country code are read in, upper-cased; a BAD_REQUEST on {@code field} if none. */
    static String region(String field, String value) {
        String code = value.strip().toUpperCase(Locale.ROOT);
        if (!UTIL.getSupportedRegions().contains(code)) {
            throw new InvalidInputException(field,
                    "'" + InvalidInputException.shown(value) + "' is not a region code phone "
                    + "numbers are read in (ISO 3166, two letters, e.g. US, CA, GB)");
        }
        return code;
    }

    Parsed parse(String raw, byte kind, String region) {
        String value = raw == null ? "" : raw.strip();
        if (kind == CellKind.ERROR) {
            return Parsed.refused("the phone cell holds the spreadsheet error " + value);
        }
        if (kind == CellKind.FORMULA) {
            return Parsed.refused("the phone" + UNCALCULATED);
        }
        if (kind == CellKind.DATE) {
            return Parsed.refused("the phone cell holds a date (" + value + "), not a phone number");
        }
        if (value.isEmpty()) {
            return Parsed.refused("the phone is empty");
        }
        if (kind == CellKind.NUMBER || isPlainOrScientificNumber(value)) {
            value = wholeNumber(value, kind);
            if (value == TOO_MANY_DIGITS) {
                return Parsed.refused("the phone is a number of more than " + MAX_DIGITS
                        + " digits, not a phone number");
            }
            if (value == null) {
                return Parsed.refused(kind == CellKind.NUMBER ? "the phone is a number with decimals, not a phone number"
                        : "the phone is written in scientific notation and lost digits: format the column as text");
            }
        }
        Parsed fast = fastNanp(value, region);
        return fast != null ? fast : fullParse(value, region);
    }

    /**
     * A lead's time zone, and every zone its number may be in when nothing decides between them
     * ({@code candidates} null when the zone is certain). The dialer calls such a lead only while its call window is
     * open in all of them.
     */
    record LeadZone(String zone, List<String> candidates) {
    }

    /**
     * The number's own zone if it has exactly one; else the zone the lead's state or ZIP code points to, if the
     * number allows it, certain only when the whole state keeps it (else with the number's zones, or the state's
     * when the number has none); else every zone of the number.
     */
    static LeadZone zoneFor(List<String> zones, UsRegions.Hint hint) {
        if (zones.size() == 1) {
            return new LeadZone(zones.get(0), null);
        }
        if (hint != null && zones.isEmpty()) {
            return new LeadZone(hint.zone(), hint.certain() ? null : hint.zones());
        }
        if (hint != null && zones.contains(hint.zone())) {
            return new LeadZone(hint.zone(), hint.certain() ? null : zones);
        }
        return zones.isEmpty() ? new LeadZone(null, null) : new LeadZone(zones.get(0), zones);
    }

    private Parsed fastNanp(String value, String region) {
        long digits = 0;
        int count = 0;
        boolean plus = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++count > 11) {
                    return null;
                }
                digits = digits * 10 + (c - '0');
            }
            else if (c == '+' && i == 0) {
                plus = true;
            }
            else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
                return null;
            }
        }
        boolean withCountryCode = count == 11 && digits / 10_000_000_000L == 1;
        boolean fast = plus ? withCountryCode : (count == 10 || withCountryCode) && isNanpRegion(region);
        if (!fast) {
            return null;
        }
        long national = digits % 10_000_000_000L;
        int prefix = (int) (national / 10_000);
        if (prefix < 100_000) {
            return Parsed.refused("+1" + national + " is not a valid phone number");
        }
        short verdict = nanp[prefix];
        if (verdict == UNKNOWN) {
            verdict = judge(prefix, national);
        }
        if (verdict == NOT_FAST) {
            return null;
        }
        if (verdict == INVALID) {
            return Parsed.refused("+1" + national + " is not a valid phone number");
        }
        boolean premium = (verdict & PREMIUM) != 0;
        return new Parsed("+1" + national, zoneSet((verdict & ~PREMIUM) - 1), null, null, premium);
    }

    private short judge(int prefix, long national) {
        PhoneNumber number = new PhoneNumber().setCountryCode(1).setNationalNumber(national);
        String regionCode = UTIL.getRegionCodeForNumber(number);
        short verdict;
        if (regionCode == null || !UTIL.isValidNumber(number)) {
            verdict = INVALID;
        }
        else if (!FAST_REGIONS.contains(regionCode)) {
            verdict = NOT_FAST;
        }
        else {
            verdict = (short) (1 + zoneSetIndex(NumberTimeZones.of(number)));
            if (isPremiumRate(number)) {
                verdict |= PREMIUM;
            }
        }
        nanp[prefix] = verdict;
        return verdict;
    }

    private Parsed fullParse(String value, String region) {
        PhoneNumber number;
        try {
            number = UTIL.parse(value, region);
        }
        catch (NumberParseException ex) {
            return Parsed.refused("not a phone number (" + switch (ex.getErrorType()) {
                case INVALID_COUNTRY_CODE -> "unknown country code";
                case TOO_SHORT_NSN, TOO_SHORT_AFTER_IDD -> "too short";
                case TOO_LONG -> "too long";
                default -> "no digits of a phone number";
            } + ")");
        }
        String e164 = UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        if (!UTIL.isValidNumber(number)) {
            return Parsed.refused(e164 + " is not a valid phone number");
        }
        // libphonenumber calls some numbers valid that the leads and dnc_numbers CHECK (V9_6_1: 7 to 15 digits)
        // refuses, German ones of up to 17 digits, Iranian service numbers of 6: one such row would fail a merge
        int digits = e164.length() - 1;
        if (digits > MAX_DIGITS) {
            return Parsed.refused(e164 + " is longer than the " + MAX_DIGITS + " digits E.164 allows");
        }
        if (digits < MIN_DIGITS) {
            return Parsed.refused(e164 + " is shorter than the " + MIN_DIGITS + " digits a stored number needs");
        }
        return new Parsed(e164, NumberTimeZones.of(number), null,
                number.hasExtension() ? number.getExtension() : null, isPremiumRate(number));
    }

    private static boolean isPremiumRate(PhoneNumber number) {
        return UTIL.getNumberType(number) == PhoneNumberUtil.PhoneNumberType.PREMIUM_RATE;
    }

    private static boolean isNanpRegion(String region) {
        return UTIL.getCountryCodeForRegion(region) == 1;
    }

    private static boolean isPlainOrScientificNumber(String value) {
        char first = value.charAt(0);
        return first >= '0' && first <= '9' && (value.indexOf('E') > 0 || value.indexOf('e') > 0
                || value.endsWith(".0")) && value.matches("\\d+(\\.\\d+)?([eE][+]?\\d+)?");
    }

    /** What {@link #wholeNumber} gives for a number with more digits than any phone, instead of writing them out. */
    private static final String TOO_MANY_DIGITS = new String("too many digits");

    /**
     * A phone that a spreadsheet stored as a number, e.g. 1.5551234567E10, as its digits; null when the
     * number has decimals or (typed as text) a mantissa too short to hold every digit; {@link #TOO_MANY_DIGITS}
     * when it has more digits than a phone (1E2000000000 is a few bytes in the file, two billion digits written out).
     */
    private static String wholeNumber(String value, byte kind) {
        BigDecimal number;
        try {
            number = new BigDecimal(value);
        }
        catch (NumberFormatException ex) {
            return value;
        }
        BigDecimal whole = number.stripTrailingZeros();
        if (whole.scale() > 0) {
            return null;
        }
        if ((long) whole.precision() - whole.scale() > MAX_DIGITS) {
            return TOO_MANY_DIGITS;
        }
        String digits = whole.toPlainString();
        int e = Math.max(value.indexOf('E'), value.indexOf('e'));
        if (kind == CellKind.TEXT && e > 0) {
            long mantissaDigits = value.substring(0, e).chars().filter(Character::isDigit).count();
            if (mantissaDigits < digits.length()) {
                return null;
            }
        }
        return digits;
    }

    private List<String> zoneSet(int index) {
        List<String>[] sets = zoneSets;
        if (index < sets.length) {
            return sets[index];
        }
        synchronized (this) {
            return zoneSets[index];
        }
    }

    private synchronized int zoneSetIndex(List<String> zones) {
        List<String>[] sets = zoneSets;
        for (int i = 0; i < sets.length; i++) {
            if (sets[i].equals(zones)) {
                return i;
            }
        }
        List<String>[] grown = Arrays.copyOf(sets, sets.length + 1);
        grown[sets.length] = zones;
        zoneSets = grown;
        return sets.length;
    }

    @SuppressWarnings("unchecked")
    private static List<String>[] newZoneSets(int size) {
        return new List[size];
    }
}
