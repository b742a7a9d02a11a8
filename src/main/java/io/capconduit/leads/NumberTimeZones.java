package io.capconduit.leads;

import java.util.List;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * The time zones a number places the person called in, as a lead import reads them: none when libphonenumber
 * cannot place it, or can only say "somewhere in the country" (see {@link CountryTimeZones}).
 */
public final class NumberTimeZones {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final PhoneNumberToTimeZonesMapper MAPPER = PhoneNumberToTimeZonesMapper.getInstance();

    private NumberTimeZones() {
    }

    /** The zones of an E.164 number; none when it is not one. */
    public static List<String> of(String e164) {
        try {
            return of(UTIL.parse(e164, null));
        }
        catch (NumberParseException ex) {
            return List.of();
        }
    }

    static List<String> of(PhoneNumber number) {
        List<String> zones = MAPPER.getTimeZonesForNumber(number);
        return zones.contains(PhoneNumberToTimeZonesMapper.getUnknownTimeZone())
                || CountryTimeZones.isCountryFallback(number, zones) ? List.of() : List.copyOf(zones);
    }
}
