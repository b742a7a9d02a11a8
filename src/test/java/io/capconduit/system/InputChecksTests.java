package io.capconduit.system;

import java.time.LocalDate;

import io.capconduit.reports.CallReportRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InputChecksTests {

    @Test
    void ianaZoneNamesAreAccepted() {
        assertThat(InputChecks.timeZone("timeZone", "America/New_York")).isEqualTo("America/New_York");
        assertThat(InputChecks.timeZone("timeZone", " UTC ")).isEqualTo("UTC");
        assertThat(InputChecks.timeZone("timeZone", "Etc/GMT+5")).isEqualTo("Etc/GMT+5");
    }

    /** PostgreSQL reads a bare offset POSIX-style (east and west swapped): cap windows would shift silently. */
    @ParameterizedTest
    @ValueSource(strings = { "+05:30", "-03:00", "UTC+5", "GMT-8", "Z", "CET", "Mars/Olympus", "", "America/New_York\u0000" })
    void offsetsAndUnknownNamesAreRefusedNamingTheField(String zone) {
        assertThatThrownBy(() -> InputChecks.timeZone("timeZone", zone)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("must be an IANA time zone such as America/New_York")
                .extracting("field").isEqualTo("timeZone");
    }

    /** A seller's or buyer's update: a stored zone from before the check stays, a given one is checked. */
    @Test
    void anUpdateKeepsTheStoredZoneUncheckedAndChecksAGivenOne() {
        assertThat(InputChecks.timeZoneOr("timeZone", null, "+05:30")).isEqualTo("+05:30");
        assertThat(InputChecks.timeZoneOr("timeZone", " Europe/Paris ", "+05:30")).isEqualTo("Europe/Paris");
        assertThatThrownBy(() -> InputChecks.timeZoneOr("timeZone", "UTC+5", "UTC"))
                .isInstanceOf(InvalidInputException.class).extracting("field").isEqualTo("timeZone");
    }

    @Test
    void aReportRefusesAnOffsetZoneAndADayOutsideTheCalendar() {
        LocalDate day = LocalDate.parse("2026-11-01");
        assertThatThrownBy(() -> CallReportRequest.of(day, day, "UTC+5", null, null, null))
                .extracting("field").isEqualTo("timeZone");
        assertThatThrownBy(() -> CallReportRequest.of(day, LocalDate.MAX, "UTC", null, null, null))
                .hasMessageContaining("must be a date from 1900 to 9999").extracting("field").isEqualTo("to");
        assertThatThrownBy(() -> CallReportRequest.of(LocalDate.MIN, day, "UTC", null, null, null))
                .extracting("field").isEqualTo("from");
    }
}
