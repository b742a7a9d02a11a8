package io.capconduit.leads;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The time zone a US state (code or name) or ZIP code points to, for North American numbers whose area code spans
 * zones or has none. One zone per state: the one most of its people live in; for a state that spans zones the
 * hint is not certain and names its other zones too (north Idaho keeps Pacific time, the Florida panhandle
 * Central).
 */
final class UsRegions {

    private static final String STATES = """
            AL Alabama America/Chicago|AK Alaska America/Anchorage|AZ Arizona America/Phoenix|\
            AR Arkansas America/Chicago|CA California America/Los_Angeles|CO Colorado America/Denver|\
            CT Connecticut America/New_York|DE Delaware America/New_York|DC District_of_Columbia America/New_York|\
            FL Florida America/New_York|GA Georgia America/New_York|HI Hawaii Pacific/Honolulu|\
            ID Idaho America/Boise|IL Illinois America/Chicago|IN Indiana America/Indiana/Indianapolis|\
            IA Iowa America/Chicago|KS Kansas America/Chicago|KY Kentucky America/New_York|\
            LA Louisiana America/Chicago|ME Maine America/New_York|MD Maryland America/New_York|\
            MA Massachusetts America/New_York|MI Michigan America/Detroit|MN Minnesota America/Chicago|\
            MS Mississippi America/Chicago|MO Missouri America/Chicago|MT Montana America/Denver|\
            NE Nebraska America/Chicago|NV Nevada America/Los_Angeles|NH New_Hampshire America/New_York|\
            NJ New_Jersey America/New_York|NM New_Mexico America/Denver|NY New_York America/New_York|\
            NC North_Carolina America/New_York|ND North_Dakota America/Chicago|OH Ohio America/New_York|\
            OK Oklahoma America/Chicago|OR Oregon America/Los_Angeles|PA Pennsylvania America/New_York|\
            RI Rhode_Island America/New_York|SC South_Carolina America/New_York|SD South_Dakota America/Chicago|\
            TN Tennessee America/Chicago|TX Texas America/Chicago|UT Utah America/Denver|\
            VT Vermont America/New_York|VA Virginia America/New_York|WA Washington America/Los_Angeles|\
            WV West_Virginia America/New_York|WI Wisconsin America/Chicago|WY Wyoming America/Denver|\
            PR Puerto_Rico America/Puerto_Rico|GU Guam Pacific/Guam|VI Virgin_Islands America/St_Thomas""";

    /** First three ZIP digits: ranges in ascending order, each "from-to STATE". */
    private static final String ZIP3 = """
            005-005 NY,006-007 PR,008-008 VI,009-009 PR,010-027 MA,028-029 RI,030-038 NH,039-049 ME,050-054 VT,\
            055-055 MA,056-059 VT,060-069 CT,070-089 NJ,100-149 NY,150-196 PA,197-199 DE,200-205 DC,206-219 MD,\
            220-246 VA,247-268 WV,270-289 NC,290-299 SC,300-319 GA,320-349 FL,350-369 AL,370-385 TN,386-397 MS,\
            398-399 GA,400-427 KY,430-459 OH,460-479 IN,480-499 MI,500-528 IA,530-549 WI,550-567 MN,570-577 SD,\
            580-588 ND,590-599 MT,600-629 IL,630-658 MO,660-679 KS,680-693 NE,700-714 LA,716-729 AR,730-732 OK,\
            733-733 TX,734-749 OK,750-799 TX,800-816 CO,820-831 WY,832-838 ID,840-847 UT,850-865 AZ,870-884 NM,\
            885-885 TX,889-898 NV,900-961 CA,967-968 HI,969-969 GU,970-979 OR,980-994 WA,995-999 AK""";

    /** States that lie in more than one zone, and their zones besides the main one. */
    private static final Map<String, List<String>> OTHER_ZONES = Map.ofEntries(
            Map.entry("AK", List.of("America/Adak")), Map.entry("AZ", List.of("America/Denver")),
            Map.entry("FL", List.of("America/Chicago")), Map.entry("ID", List.of("America/Los_Angeles")),
            Map.entry("IN", List.of("America/Chicago")), Map.entry("KS", List.of("America/Denver")),
            Map.entry("KY", List.of("America/Chicago")), Map.entry("MI", List.of("America/Menominee")),
            Map.entry("NE", List.of("America/Denver")), Map.entry("NV", List.of("America/Denver")),
            Map.entry("ND", List.of("America/Denver")), Map.entry("OR", List.of("America/Boise")),
            Map.entry("SD", List.of("America/Denver")), Map.entry("TN", List.of("America/New_York")),
            Map.entry("TX", List.of("America/Denver")));

    /** A zone a lead's state or ZIP code points to, and every zone of that state (the first is {@code zone}). */
    record Hint(String zone, List<String> zones) {

        /** Whether the whole state keeps that zone. */
        boolean certain() {
            return zones.size() == 1;
        }
    }

    private static final Map<String, Hint> HINT_BY_STATE = new HashMap<>();
    private static final String[] STATE_BY_ZIP3 = new String[1000];

    static {
        for (String state : STATES.split("\\|")) {
            String[] parts = state.trim().split(" ");
            List<String> zones = new ArrayList<>(List.of(parts[2]));
            zones.addAll(OTHER_ZONES.getOrDefault(parts[0], List.of()));
            Hint hint = new Hint(parts[2], List.copyOf(zones));
            HINT_BY_STATE.put(parts[0], hint);
            HINT_BY_STATE.put(parts[1].replace('_', ' ').toUpperCase(Locale.ROOT), hint);
        }
        for (String range : ZIP3.split(",")) {
            String[] parts = range.trim().split("[- ]");
            for (int zip = Integer.parseInt(parts[0]); zip <= Integer.parseInt(parts[1]); zip++) {
                STATE_BY_ZIP3[zip] = parts[2];
            }
        }
    }

    private UsRegions() {
    }

    /** The zone of the state if given and known, else of the ZIP code's state; null if neither tells. */
    static Hint zoneOf(String state, String postalCode) {
        if (state != null && !state.isEmpty()) {
            Hint hint = HINT_BY_STATE.get(state.strip().toUpperCase(Locale.ROOT));
            if (hint != null) {
                return hint;
            }
        }
        if (postalCode != null && postalCode.length() >= 5 && Character.isDigit(postalCode.charAt(0))
                && Character.isDigit(postalCode.charAt(1)) && Character.isDigit(postalCode.charAt(2))) {
            String zipState = STATE_BY_ZIP3[Integer.parseInt(postalCode.substring(0, 3))];
            return zipState == null ? null : HINT_BY_STATE.get(zipState);
        }
        return null;
    }
}
