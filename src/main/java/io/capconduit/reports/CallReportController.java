package io.capconduit.reports;

import java.time.LocalDate;
import java.util.List;

import io.capconduit.accounts.AuthenticatedUser;
import io.capconduit.system.graphql.Connection;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

@Controller
class CallReportController {

    private final CallReportService service;

    CallReportController(CallReportService service) {
        this.service = service;
    }

    @QueryMapping
    CallReport report(@Argument LocalDate from, @Argument LocalDate to, @Argument String timeZone,
            @Argument CallReportPeriod groupBy, @Argument CallReportBy by, @Argument Long sellerId,
            @AuthenticationPrincipal AuthenticatedUser user) {
        return service.report(CallReportRequest.of(from, to, timeZone, groupBy, by, sellerId), user);
    }

    @QueryMapping
    List<CapUsage> capUsage(@Argument Long campaignId, @Argument Long clientId, @Argument Integer first,
            @AuthenticationPrincipal AuthenticatedUser user) {
        return service.capUsage(campaignId, clientId, first, user);
    }

    @QueryMapping
    Connection<CapUsage> capUsageConnection(@Argument Long campaignId, @Argument Long clientId,
            @Argument Integer first, @Argument String after, @AuthenticationPrincipal AuthenticatedUser user) {
        return service.capUsagePage(campaignId, clientId, first, after, user);
    }
}
