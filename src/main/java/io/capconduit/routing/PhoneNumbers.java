package io.capconduit.routing;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import io.capconduit.system.InvalidInputException;

/** Phone numbers typed by people, to E.164 (libphonenumber). Numbers without a country code are read as US/Canada. */
final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    static String e164(String field, String text) {
        try {
            Phonenumber.PhoneNumber number = UTIL.parse(text, "US");
            if (!UTIL.isPossibleNumber(number)) {
                throw new InvalidInputException(field,
                        "'" + InvalidInputException.shown(text) + "' is not a possible phone number");
            }
            if (number.hasExtension()) {
                // E.164 has no extension: it would be dropped without a word, and the number stored another one
                throw new InvalidInputException(field,
                        "'" + InvalidInputException.shown(text) + "' has an extension (" + number.getExtension()
                        + "); give the number alone");
            }
            return UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        }
        catch (NumberParseException | NullPointerException ex) {
            throw new InvalidInputException(field,
                    "'" + InvalidInputException.shown(text) + "' is not a phone number (e.g. +18005550101)");
        }
    }
}
