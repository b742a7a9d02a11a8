package io.capconduit.leads;

import java.util.List;
import java.util.Random;

import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PhoneNumbersTests {

    private final PhoneNumbers phones = new PhoneNumbers();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "(201) 555-0123    | US | +12015550123",
        "201.555.0123      | US | +12015550123",
        "1 201 555 0123    | US | +12015550123",
        "+1 (416) 555-0134 | GB | +14165550134",
        "416-555-0134      | CA | +14165550134",
        "020 7946 0000     | GB | +442079460000",
        "+44 20 7946 0000  | US | +442079460000",
        "201 555 0123 x12  | US | +12015550123",
    })
    void theFastPathAndTheFullParseAgree(String raw, String region, String e164) throws Exception {
        PhoneNumbers.Parsed parsed = phones.parse(raw, CellKind.TEXT, region);

        assertThat(parsed.e164()).isEqualTo(e164);
        var number = PhoneNumberUtil.getInstance().parse(raw, region);
        List<String> zones = PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(number);
        assertThat(parsed.zones()).isEqualTo(zones.contains("Etc/Unknown") ? List.of() : zones);
    }

    @Test
    void theCachedNorthAmericanVerdictIsLibphonenumbersVerdict() throws Exception {
        Random random = new Random(7);
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        for (int i = 0; i < 3000; i++) {
            String digits = Long.toString(2_000_000_000L + (long) (random.nextDouble() * 7_999_999_999L));
            var number = util.parse(digits, "US");
            PhoneNumbers.Parsed parsed = phones.parse(digits, CellKind.TEXT, "US");
            assertThat(parsed.e164()).as(digits)
                    .isEqualTo(util.isValidNumber(number) ? util.format(number, PhoneNumberUtil.PhoneNumberFormat.E164)
                            : null);
        }
    }

    @Test
    void premiumRateNumbersAreMarkedOnTheFastPathAsByTheFullParse() {
        assertThat(phones.parse("900-555-2368", CellKind.TEXT, "US").premiumRate()).isTrue();
        assertThat(phones.parse("+1 900 555 2368", CellKind.TEXT, "GB").premiumRate()).isTrue();
        assertThat(phones.parse("+44 909 879 0000", CellKind.TEXT, "US").premiumRate()).isTrue();
        // the cached verdict of 900-555 stays premium; its neighbours, toll-free and geographic, are not
        assertThat(phones.parse("9005552369", CellKind.TEXT, "US").premiumRate()).isTrue();
        assertThat(phones.parse("800-555-0199", CellKind.TEXT, "US").premiumRate()).isFalse();
        assertThat(phones.parse("201-555-0123", CellKind.TEXT, "US").premiumRate()).isFalse();
        assertThat(phones.parse("020 7946 0000", CellKind.TEXT, "GB").premiumRate()).isFalse();

        Random random = new Random(11);
        for (int i = 0; i < 2000; i++) {
            String digits = "900" + (2_000_000 + random.nextInt(8_000_000));
            PhoneNumbers.Parsed parsed = phones.parse(digits, CellKind.TEXT, "US");
            assertThat(parsed.premiumRate()).as(digits).isEqualTo(parsed.e164() != null);
        }
    }

    @Test
    void numbersLibphonenumberCallsValidButTheDatabaseRefusesAreRefusedWithTheReason() {
        // a German toll-free number of 15 national digits, a Berlin direct dial, an Iranian service number
        assertThat(phones.parse("+49 800 123456789012", CellKind.TEXT, "DE").reason())
                .isEqualTo("+49800123456789012 is longer than the 15 digits E.164 allows");
        assertThat(phones.parse("030 1234567 890123", CellKind.TEXT, "DE").e164()).isNull();
        assertThat(phones.parse("+98 9601", CellKind.TEXT, "US").reason())
                .isEqualTo("+989601 is shorter than the 7 digits a stored number needs");
        assertThat(phones.parse("+49 30 12345678", CellKind.TEXT, "US").e164()).isEqualTo("+493012345678");
    }

    @Test
    void numbersStoredAsNumbersKeepEveryDigit() {
        assertThat(phones.parse("1.2015550123E10", CellKind.NUMBER, "US").e164()).isEqualTo("+12015550123");
        assertThat(phones.parse("12015550123", CellKind.NUMBER, "US").e164()).isEqualTo("+12015550123");
        assertThat(phones.parse("1.2015550123E10", CellKind.TEXT, "US").e164()).isEqualTo("+12015550123");
        // converted right, but 555 is no area code: the reason shows the number as it came out
        assertThat(phones.parse("1.5551234567E10", CellKind.NUMBER, "US").reason())
                .isEqualTo("+15551234567 is not a valid phone number");
        assertThat(phones.parse("1.20155E+10", CellKind.TEXT, "US").reason())
                .isEqualTo("the phone is written in scientific notation and lost digits: format the column as text");
        assertThat(phones.parse("2015550123.5", CellKind.NUMBER, "US").reason())
                .isEqualTo("the phone is a number with decimals, not a phone number");
    }

    @Test
    void aNumberOfMoreDigitsThanAnyPhoneIsRefusedWithoutWritingItOut() {
        // a few bytes in a csv cell, two billion digits once written out: the import died of a full heap, as the
        // server's failure, and the inbox tried the file again every night
        for (String huge : new String[] { "1E2000000000", "1e+2000000000", "9.9E99999" }) {
            assertThat(phones.parse(huge, CellKind.TEXT, "US").reason()).as(huge)
                    .isEqualTo("the phone is a number of more than 15 digits, not a phone number");
        }
        assertThat(phones.parse("1E2000000000", CellKind.NUMBER, "US").reason())
                .isEqualTo("the phone is a number of more than 15 digits, not a phone number");
        assertThat(phones.parse("1.2015550123E10", CellKind.TEXT, "US").e164()).isEqualTo("+12015550123");
    }

    @Test
    void datesErrorsAndGarbageAreRefusedWithTheReason() {
        assertThat(phones.parse("2024-03-05", CellKind.DATE, "US").reason())
                .isEqualTo("the phone cell holds a date (2024-03-05), not a phone number");
        assertThat(phones.parse("#REF!", CellKind.ERROR, "US").reason())
                .isEqualTo("the phone cell holds the spreadsheet error #REF!");
        assertThat(phones.parse("  ", CellKind.TEXT, "US").reason()).isEqualTo("the phone is empty");
        assertThat(phones.parse("call me", CellKind.TEXT, "US").reason())
                .isEqualTo("not a phone number (no digits of a phone number)");
        assertThat(phones.parse("12", CellKind.TEXT, "US").reason()).isEqualTo("+112 is not a valid phone number");
        assertThat(phones.parse("(101) 555-0123", CellKind.TEXT, "US").reason())
                .isEqualTo("+11015550123 is not a valid phone number");
    }

    @Test
    void aStateOrZipDecidesWhenTheNumberSpansZonesAndTheStateDoesNot() {
        List<String> idaho = phones.parse("208 555 0100", CellKind.TEXT, "US").zones();
        assertThat(idaho).containsExactlyInAnyOrder("America/Boise", "America/Los_Angeles");
        assertThat(PhoneNumbers.zoneFor(idaho, UsRegions.zoneOf("Washington", null)))
                .isEqualTo(new PhoneNumbers.LeadZone("America/Los_Angeles", null));
        assertThat(PhoneNumbers.zoneFor(List.of(), UsRegions.zoneOf("ny", null)))
                .isEqualTo(new PhoneNumbers.LeadZone("America/New_York", null));
        assertThat(PhoneNumbers.zoneFor(List.of("America/New_York"), UsRegions.zoneOf("IL", null)))
                .isEqualTo(new PhoneNumbers.LeadZone("America/New_York", null));
    }

    @Test
    void aNumberAndStateThatBothSpanZonesKeepEveryZoneOfTheNumber() {
        List<String> idaho = phones.parse("208 555 0100", CellKind.TEXT, "US").zones();
        // Idaho's panhandle keeps Pacific time: neither the state nor its ZIP code decides
        PhoneNumbers.LeadZone both = new PhoneNumbers.LeadZone("America/Boise", idaho);
        assertThat(PhoneNumbers.zoneFor(idaho, UsRegions.zoneOf("ID", null))).isEqualTo(both);
        assertThat(PhoneNumbers.zoneFor(idaho, UsRegions.zoneOf(null, "83702"))).isEqualTo(both);
        assertThat(PhoneNumbers.zoneFor(idaho, null).candidates()).isEqualTo(idaho);
        // a hint outside the number's zones is ignored
        assertThat(PhoneNumbers.zoneFor(idaho, UsRegions.zoneOf("AK", null)).candidates()).isEqualTo(idaho);
    }

    @Test
    void aNumberWithoutZonesInAStateThatSpansZonesKeepsTheStatesZones() {
        // toll-free in Texas: El Paso keeps Mountain time
        assertThat(PhoneNumbers.zoneFor(List.of(), UsRegions.zoneOf("tx", null))).isEqualTo(
                new PhoneNumbers.LeadZone("America/Chicago", List.of("America/Chicago", "America/Denver")));
    }

    @ParameterizedTest
    @CsvSource({ "273 555 0100, US", "738 555 0100, US", "800 555 0199, US", "833 555 0199, US", "888 555 0199, US",
        "500 555 0199, US", "900 555 0199, US", "876 555 0199, US", "+7 800 555 3535, US", "+61 1800 123 456, US" })
    void aNumberLibphonenumberPlacesOnlyInItsCountryHasNoZone(String raw, String region) {
        // libphonenumber answers with every zone of the country code (Pago Pago to Guam for +1): such a lead was
        // never inside every call window at once, so it was never dialed
        PhoneNumbers.Parsed parsed = phones.parse(raw, CellKind.TEXT, region);

        assertThat(parsed.e164()).isNotNull();
        assertThat(parsed.zones()).isEmpty();
        assertThat(PhoneNumbers.zoneFor(parsed.zones(), UsRegions.zoneOf("NY", null)))
                .isEqualTo(new PhoneNumbers.LeadZone("America/New_York", null));
    }

    @Test
    void aCountrysZonesThatKeepOneClockStillPlaceTheNumber() {
        // Guernsey, the Isle of Man, Jersey and London keep one clock: a British mobile is placed well enough
        assertThat(phones.parse("+44 7400 123456", CellKind.TEXT, "US").zones()).contains("Europe/London");
    }
}
