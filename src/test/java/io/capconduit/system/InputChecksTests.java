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

    @ParameterizedTest
    @ValueSource(strings = { "198.51.100.7", "203.0.113.0/24", "10.0.0.0/8", "0.0.0.0", "2001:db8::1",
            "2001:db8::/32", "::1", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8", "::ffff:198.51.100.7", "::ffff:10.0.0.0/104",
            "64:ff9b::198.51.100.7", "2001:DB8::a/64" })
    void aCarriersAddressesAndNarrowRangesAreAccepted(String ip) {
        assertThat(InputChecks.ipOrCidr("matchIps[0]", " " + ip + " ")).isEqualTo(ip);
    }

    /** A range this wide would take calls from much of the internet as the carrier's. */
    @ParameterizedTest
    @ValueSource(strings = { "0.0.0.0/0", "1.0.0.0/7", "128.0.0.0/1", "::/0", "2000::/3", "2001:db8::/31", "::/32",
            "::ffff:0:0/96", "::ffff:0.0.0.0/96", "::ffff:10.0.0.0/103" })
    void aRangeWiderThanAnIpv4Slash8OrAnIpv6Slash32IsRefusedSayingWhy(String range) {
        assertThatThrownBy(() -> InputChecks.ipOrCidr("matchIps[0]", range)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("too wide").extracting("field").isEqualTo("matchIps[0]");
    }

    @ParameterizedTest
    @ValueSource(strings = { "::::", ":::", "1:::2", ":1::2", "1::2:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
            "1:2:3:4::5:6:7:8", "12345::1", "g::1", "::1.2.3", "::300.1.1.1", "1.2.3.4/33", "300.1.1.1", "1.2.3",
            "10.0.0.0/8/8", "", "localhost", "[::1]" })
    void malformedAddressesAreRefused(String ip) {
        assertThatThrownBy(() -> InputChecks.ipOrCidr("matchIps[0]", ip)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not an IP address or CIDR range");
    }

    @Test
    void aHostIsANameOrAWellFormedAddress() {
        assertThat(InputChecks.host("sipHost", "sbc.example.com")).isEqualTo("sbc.example.com");
        assertThat(InputChecks.host("sipHost", "198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(InputChecks.host("sipHost", "2001:db8::1")).isEqualTo("2001:db8::1");
        assertThat(InputChecks.host("sipHost", "[2001:db8::1]")).isEqualTo("[2001:db8::1]");
        for (String bad : new String[] { "::::", "[::1", "[sbc.example.com]", "[198.51.100.7]", "sbc_1.example", "" }) {
            assertThatThrownBy(() -> InputChecks.host("sipHost", bad)).isInstanceOf(InvalidInputException.class)
                    .extracting("field").isEqualTo("sipHost");
        }
    }

    /** With the anonymous identifier, Asterisk gives the endpoint named anonymous every unidentified INVITE. */
    @ParameterizedTest
    @ValueSource(strings = { "anonymous", "Anonymous", "ANONYMOUS" })
    void anonymousIsNoEndpointId(String id) {
        assertThatThrownBy(() -> InputChecks.unreservedEndpointId("endpoint", id)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("reserved").extracting("field").isEqualTo("endpoint");
        assertThat(InputChecks.unreservedEndpointId("endpoint", "anonymous-carrier")).isEqualTo("anonymous-carrier");
    }
}
