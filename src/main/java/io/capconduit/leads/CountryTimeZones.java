package io.capconduit.leads;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.List;

import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.prefixmapper.PrefixTimeZonesMap;

/**
 * Recognises libphonenumber's "somewhere in this country" answer. For a number it cannot place (toll-free,
 * premium, personal, a brand-new area code) its zone mapper returns every zone of the country code (42 for +1,
 * Pago Pago to Guam) instead of "unknown"; a lead kept with them is never inside every call window, so it is
 * never dialed. The mapper hides that country-level list, so it is read here from the mapper's own data.
 */
final class CountryTimeZones {

    private static final String MAP_DATA = "/com/google/i18n/phonenumbers/timezones/data/map_data";
    private static final PrefixTimeZonesMap COUNTRY_ZONES = load();

    private CountryTimeZones() {
    }

    /**
     * Whether the zones are the country-level fallback of the number's country and those zones keep different
     * clocks (the United Kingdom's four zones are one clock: a number given them is placed well enough).
     */
    static boolean isCountryFallback(PhoneNumber number, List<String> zones) {
        if (zones.size() < 2 || !zones.equals(COUNTRY_ZONES.lookupCountryLevelTimeZonesForNumber(number))) {
            return false;
        }
        var rules = ZoneId.of(zones.get(0)).getRules();
        return zones.stream().anyMatch(zone -> !ZoneId.of(zone).getRules().equals(rules));
    }

    private static PrefixTimeZonesMap load() {
        PrefixTimeZonesMap map = new PrefixTimeZonesMap();
        try (InputStream data = PhoneNumberToTimeZonesMapper.class.getResourceAsStream(MAP_DATA);
                ObjectInputStream in = new ObjectInputStream(data)) {
            map.readExternal(in);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("libphonenumber's time zone data " + MAP_DATA + " cannot be read", ex);
        }
        return map;
    }
}
