package io.capconduit.routing;

import java.time.LocalTime;

/** Opening hours of a client on one ISO day of week (1 = Monday), in the client's time zone. */
record ScheduleHours(long clientId, int dayOfWeek, LocalTime openTime, LocalTime closeTime) {
}
