package io.capconduit.dialer;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallWindowTests {

    private final CallWindow nineToEight = new CallWindow(LocalTime.of(9, 0), LocalTime.of(20, 0));

    @Test
    void theWindowIsReadInEachZonesOwnClock() {
        Instant at = Instant.parse("2026-01-15T14:30:00Z"); // New York 09:30, Los Angeles 06:30, London 14:30

        assertThat(nineToEight.isOpen(ZoneId.of("America/New_York"), at)).isTrue();
        assertThat(nineToEight.isOpen(ZoneId.of("America/Los_Angeles"), at)).isFalse();
        assertThat(List.of(nineToEight.zonesOpenAt(at))).contains("America/New_York", "Europe/London")
                .doesNotContain("America/Los_Angeles", "Asia/Tokyo");
    }

    @Test
    void daylightSavingTimeMovesTheWindow() {
        // 13:30 UTC: New York is 08:30 on the Saturday (EST) and 09:30 on the Sunday the clocks went forward (EDT)
        assertThat(nineToEight.isOpen(ZoneId.of("America/New_York"), Instant.parse("2026-03-07T13:30:00Z"))).isFalse();
        assertThat(nineToEight.isOpen(ZoneId.of("America/New_York"), Instant.parse("2026-03-08T13:30:00Z"))).isTrue();
        // and back in autumn: 00:30 UTC is 20:30 EDT (closed) before, 19:30 EST (open) after 1 November
        assertThat(nineToEight.isOpen(ZoneId.of("America/New_York"), Instant.parse("2026-10-31T00:30:00Z"))).isFalse();
        assertThat(nineToEight.isOpen(ZoneId.of("America/New_York"), Instant.parse("2026-11-02T00:30:00Z"))).isTrue();
    }

    @Test
    void aWindowEndingAfterMidnightWraps() {
        CallWindow evening = new CallWindow(LocalTime.of(20, 0), LocalTime.of(2, 0));

        assertThat(evening.contains(LocalTime.of(23, 0))).isTrue();
        assertThat(evening.contains(LocalTime.of(1, 59))).isTrue();
        assertThat(evening.contains(LocalTime.of(2, 0))).isFalse();
        assertThat(evening.contains(LocalTime.of(12, 0))).isFalse();
    }

    @Test
    void callsToPlaceAreAgentsTimesRatioMinusInFlight() {
        assertThat(Pacing.callsToPlace(4, new BigDecimal("1.5"), 2)).isEqualTo(4);
        assertThat(Pacing.callsToPlace(3, new BigDecimal("1.5"), 0)).isEqualTo(4);   // 4.5 rounds down
        assertThat(Pacing.callsToPlace(2, BigDecimal.ONE, 5)).isZero();
        assertThat(Pacing.callsToPlace(0, new BigDecimal("3.0"), 0)).isZero();
    }

    @Test
    void anAbandonRateAboveTheMaximumLowersTheRatioButNotBelowOne() {
        BigDecimal max = new BigDecimal("0.03");

        assertThat(Pacing.effectiveRatio(new BigDecimal("2.00"), max, 100, 3)).isEqualByComparingTo("2.00");
        assertThat(Pacing.effectiveRatio(new BigDecimal("2.00"), max, 100, 4)).isEqualByComparingTo("1.50");
        assertThat(Pacing.effectiveRatio(new BigDecimal("2.00"), max, 100, 30)).isEqualByComparingTo("1.00");
    }

    @Test
    void aServerTakesNoMoreThanItsRateAndItsInFlightLimit() {
        assertThat(Pacing.serverRoom(new BigDecimal("10"), 50, 45, 0, 0)).isEqualTo(5);
        assertThat(Pacing.serverRoom(new BigDecimal("10"), 50, 0, 7, 7)).isEqualTo(3);
        assertThat(Pacing.serverRoom(new BigDecimal("10"), 50, 50, 0, 0)).isZero();
        assertThat(Pacing.serverRoom(new BigDecimal("10"), 500, 0, 0, 95)).isEqualTo(5);
    }

    @Test
    void aFractionalRateHoldsOverTenSeconds() {
        // 0.1 calls per second: one call, then none for ten seconds
        assertThat(Pacing.serverRoom(new BigDecimal("0.10"), 50, 0, 0, 0)).isEqualTo(1);
        assertThat(Pacing.serverRoom(new BigDecimal("0.10"), 50, 1, 0, 1)).isZero();
        // 2.5: three in a second at most, 25 in ten seconds
        assertThat(Pacing.serverRoom(new BigDecimal("2.50"), 50, 0, 0, 0)).isEqualTo(3);
        assertThat(Pacing.serverRoom(new BigDecimal("2.50"), 50, 0, 0, 23)).isEqualTo(2);
        assertThat(Pacing.serverRoom(new BigDecimal("2.50"), 50, 0, 0, 25)).isZero();
    }

    @Test
    void agentEndpointsComeFromChannelAndDeviceNames() {
        assertThat(AgentStateService.endpointOfChannel("PJSIP/agent-1001-0000002a")).isEqualTo("agent-1001");
        assertThat(AgentStateService.endpointOfChannel("PJSIP/agent-10012345-0000002a")).isEqualTo("agent-10012345");
        assertThat(AgentStateService.endpointOfDevice("PJSIP/agent-1001")).isEqualTo("agent-1001");
        // an 8-digit extension ends as a channel suffix does; a device name has none to strip
        assertThat(AgentStateService.endpointOfDevice("PJSIP/agent-10012345")).isEqualTo("agent-10012345");
        assertThat(AgentStateService.endpointOfChannel("Local/1001@x-00000001;1")).isNull();
        assertThat(AgentStateService.endpointOfDevice("Custom:agent-1001")).isNull();
    }
}
