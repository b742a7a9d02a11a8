package io.capconduit.routing;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import io.capconduit.routing.RoutePreviewMapper.DidRoute;
import io.capconduit.routing.RoutePreviewMapper.SettingEvaluation;
import io.capconduit.system.InvalidInputException;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * Explains inbound routing for one DID with the same SQL functions the dialplan calls. A seller sees only its
 * own DIDs: another seller's number answers exactly like a number that does not exist.
 */
@Service
class RoutePreviewService {

    private final RoutePreviewMapper mapper;

    RoutePreviewService(RoutePreviewMapper mapper) {
        this.mapper = mapper;
    }

    @PreAuthorize("isAuthenticated()")
    RoutePreview preview(String did, Instant at, Long sellerScope) {
        checkDigits(did);
        Instant when = at != null ? at : Instant.now();
        DidRoute route = mapper.lookup(did);
        if (sellerScope != null && !Objects.equals(route.sellerId(), sellerScope)) {
            return new RoutePreview(route.didNumber(), when, "UNKNOWN_DID", null, null, null, null, List.of());
        }
        if (!"ROUTED".equals(route.status())) {
            return new RoutePreview(route.didNumber(), when, route.status(), route.campaignId(), route.campaignName(),
                    route.strategy(), null, List.of());
        }
        List<RoutePreview.Candidate> candidates = candidates(route.strategy(),
                mapper.evaluate(route.campaignId(), when.atOffset(ZoneOffset.UTC)));
        RoutePreview.Candidate winner = candidates.isEmpty() || candidates.get(0).skipped() != null ? null
                : candidates.get(0);
        return new RoutePreview(route.didNumber(), when, winner == null ? "NO_TARGET" : "ROUTED", route.campaignId(),
                route.campaignName(), route.strategy(), winner, candidates);
    }

    /**
     * The dialplan's normaliser keeps 0-9 only: a number in other digits (Arabic-Indic, say) would be looked up as
     * no number at all, or as another number, so it is refused.
     */
    private static void checkDigits(String did) {
        if (did == null || did.codePoints().noneMatch(RoutePreviewService::asciiDigit)
                || did.codePoints().anyMatch(c -> Character.isDigit(c) && !asciiDigit(c))) {
            throw new InvalidInputException("did", "must be a phone number written with the digits 0-9, "
                    + "e.g. +18005550101");
        }
    }

    private static boolean asciiDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Eligible settings first, in the database's order; a WEIGHTED order is a random draw, so it is shown by
     * weight with each one's chance of coming first instead.
     */
    private static List<RoutePreview.Candidate> candidates(String strategy, List<SettingEvaluation> rows) {
        boolean weighted = "WEIGHTED".equals(strategy);
        List<SettingEvaluation> eligible = new ArrayList<>(rows.stream().filter(r -> r.skipReason() == null).toList());
        if (weighted) {
            eligible.sort(Comparator.comparingInt(SettingEvaluation::weight).reversed()
                    .thenComparingLong(SettingEvaluation::settingId));
        }
        double totalWeight = eligible.stream().mapToInt(SettingEvaluation::weight).sum();
        List<RoutePreview.Candidate> result = new ArrayList<>();
        for (SettingEvaluation row : eligible) {
            result.add(candidate(row, result.size() + 1, weighted ? row.weight() / totalWeight : null));
        }
        rows.stream().filter(r -> r.skipReason() != null).forEach(r -> result.add(candidate(r, null, null)));
        return result;
    }

    private static RoutePreview.Candidate candidate(SettingEvaluation row, Integer position, Double share) {
        return new RoutePreview.Candidate(row.settingId(), row.clientId(), row.clientName(), row.priority(),
                row.weight(), row.maxConcurrent(), row.inFlight(), row.totalCap(), row.capPeriod(), row.capUsed(),
                row.reserved(), position, share, row.skipReason());
    }
}
