package io.capconduit.reports;

import java.time.Instant;

/**
 * Fixed call logs around New York day boundaries (EDT, UTC-4, after the 2026-03-08 change) for seller "ny" and,
 * in the same hours, calls of a second seller "other" that "ny" must never see. Hand-computed expectations for
 * 2026-03-09..2026-03-10 in America/New_York, by campaign:
 * <pre>
 * 2026-03-09 auto : calls 2, answered 2, billable 1, talk 150
 * 2026-03-10 auto : calls 2, answered 1, billable 1, talk 200, rejected by cap 1
 * 2026-03-10 home : calls 3, answered 1, billable 1, talk 90,  rejected by schedule 1
 * </pre>
 */
final class NewYorkMarchScenario {

    final ReportFixture fixture;
    final long seller;
    final long other;
    final long auto;
    final long home;
    final long otherCampaign;
    final long clientX;
    final long clientY;

    NewYorkMarchScenario(ReportFixture fixture) {
        this.fixture = fixture;
        seller = fixture.seller("ny", "America/New_York");
        other = fixture.seller("other", "America/Los_Angeles");
        auto = fixture.campaign(seller, "auto");
        home = fixture.campaign(seller, "home");
        otherCampaign = fixture.campaign(other, "solar");
        clientX = fixture.client("x", "America/New_York");
        clientY = fixture.client("y", "America/Chicago");
        long autoDid = fixture.did(seller, auto);
        long homeDid = fixture.did(seller, home);
        long otherDid = fixture.did(other, otherCampaign);

        fixture.answered(at("2026-03-09T03:59:00Z"), seller, auto, autoDid, clientX, 10, false);  // NY 03-08 23:59
        fixture.answered(at("2026-03-10T03:30:00Z"), seller, auto, autoDid, clientX, 120, true);  // NY 03-09 23:30
        fixture.answered(at("2026-03-10T03:59:59Z"), seller, auto, autoDid, clientY, 30, false);  // NY 03-09 23:59:59
        fixture.answered(at("2026-03-10T04:00:00Z"), seller, auto, autoDid, clientX, 200, true);  // NY 03-10 00:00
        fixture.unrouted(at("2026-03-10T05:00:00Z"), seller, auto, autoDid, "CAPPED");
        fixture.unrouted(at("2026-03-10T12:00:00Z"), seller, home, homeDid, "SCHEDULE");
        fixture.call(at("2026-03-10T13:00:00Z"), seller, home, homeDid, null, "NO ANSWER", 0, false, null);
        fixture.answered(at("2026-03-11T03:59:00Z"), seller, home, homeDid, clientX, 90, true);   // NY 03-10 23:59
        fixture.answered(at("2026-03-11T04:00:00Z"), seller, home, homeDid, clientX, 60, true);   // NY 03-11 00:00

        fixture.answered(at("2026-03-09T15:00:00Z"), other, otherCampaign, otherDid, clientY, 300, true);
        fixture.answered(at("2026-03-10T15:00:00Z"), other, otherCampaign, otherDid, clientY, 45, false);
    }

    static Instant at(String instant) {
        return Instant.parse(instant);
    }
}
