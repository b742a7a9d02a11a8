package io.capconduit.dialer;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

/**
 * A campaign's daily calling hours, read in each lead's own time zone. Rather than converting every lead's
 * clock in SQL, the dialer asks once which IANA zones are inside the window now and filters leads by zone.
 * A window whose end is before its start runs past midnight (e.g. 20:00–02:00).
 */
record CallWindow(LocalTime start, LocalTime end) {

    private static final List<ZoneId> ZONES = ZoneId.getAvailableZoneIds().stream().sorted().map(ZoneId::of).toList();

    boolean contains(LocalTime time) {
        if (start.equals(end)) {
            return true;
        }
        return start.isBefore(end)
                ? !time.isBefore(start) && time.isBefore(end)
                : !time.isBefore(start) || time.isBefore(end);
    }

    boolean isOpen(ZoneId zone, Instant now) {
        return contains(now.atZone(zone).toLocalTime());
    }

    /** Every zone id (as PostgreSQL and leads.time_zone spell it) whose local time is inside the window now. */
    String[] zonesOpenAt(Instant now) {
        return ZONES.stream().filter(zone -> isOpen(zone, now)).map(ZoneId::getId).toArray(String[]::new);
    }

    String[] zonesClosedAt(Instant now) {
        return ZONES.stream().filter(zone -> !isOpen(zone, now)).map(ZoneId::getId).toArray(String[]::new);
    }
}
