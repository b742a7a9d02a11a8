package io.capconduit.system.graphql;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much one GraphQL request may ask for, and what the parsed-document cache may hold
 * ({@code capconduit.graphql.*}). The schema has cycles (Seller.campaigns, Campaign.seller, ...), so without
 * limits one short document could build a response large enough to exhaust the heap the dialer shares.
 *
 * @param maxDepth most levels of nested fields in an operation
 * @param maxComplexity most values an operation may add to its response, as {@link ResponseSizeEstimate}
 *                      counts them; at most 100,000, so that no sum of field costs overflows
 * @param listSize rows assumed for a list field without a first, last or limit argument
 * @param documentCache what the parsed-document cache keeps
 * @param maxSubscriptionsPerUser most subscriptions one user may hold at once on an app instance, over however
 *                                many sockets ({@link SubscriptionLimitsConfiguration})
 */
@ConfigurationProperties("capconduit.graphql")
record GraphQlLimitsProperties(@DefaultValue("10") int maxDepth, @DefaultValue("20000") int maxComplexity,
        @DefaultValue("10") int listSize, @DefaultValue DocumentCacheLimits documentCache,
        @DefaultValue("20") int maxSubscriptionsPerUser) {

    GraphQlLimitsProperties {
        if (maxDepth < 1 || maxComplexity < 1 || maxComplexity > 100_000 || listSize < 1
                || maxSubscriptionsPerUser < 1) {
            throw new IllegalArgumentException("capconduit.graphql: max-depth, list-size and "
                    + "max-subscriptions-per-user must be at least 1, max-complexity from 1 to 100000");
        }
    }

    /**
     * A parsed document holds up to about 25 bytes of heap per character of its text (one dense with fields), so
     * the cache is bounded by the length of the text it keeps as well as by count.
     *
     * @param maxDocumentLength longest query text (characters) kept parsed; a longer one is parsed on every request
     * @param maxTotalLength most characters of query text kept parsed at once; the least recently used go first
     */
    record DocumentCacheLimits(@DefaultValue("65536") int maxDocumentLength,
            @DefaultValue("2000000") int maxTotalLength) {
    }
}
