package io.capconduit.leads;

import java.util.List;

/** A lead column an import can fill, with the header names that map to it and its length limit. */
enum LeadField {

    PHONE(40, "phone", "phonenumber", "phoneno", "mobile", "mobilephone", "mobilenumber", "cell", "cellphone", "tel",
            "telephone", "number"),
    FIRST_NAME(200, "first", "firstname", "fname", "givenname", "forename"),
    LAST_NAME(200, "last", "lastname", "lname", "surname", "familyname"),
    FULL_NAME(200, "name", "fullname", "contactname"),
    EMAIL(320, "email", "emailaddress", "mail"),
    ADDRESS(500, "address", "address1", "street", "streetaddress"),
    CITY(200, "city", "town"),
    STATE(100, "state", "province", "region", "st"),
    POSTAL_CODE(20, "postalcode", "postcode", "zip", "zipcode"),
    COUNTRY(100, "country", "countrycode");

    private final int maxLength;
    private final List<String> aliases;

    LeadField(int maxLength, String... aliases) {
        this.maxLength = maxLength;
        this.aliases = List.of(aliases);
    }

    int maxLength() {
        return maxLength;
    }

    /** The field's name as users write it in a mapping, e.g. first_name. */
    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** How strongly a header names the field: 0 for its own name (phone), higher for weaker aliases (number); -1 for none. */
    int rank(String normalisedHeader) {
        return aliases.indexOf(normalisedHeader);
    }
}
