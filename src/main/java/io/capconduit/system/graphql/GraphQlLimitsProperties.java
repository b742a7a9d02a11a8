package io.capconduit.system.graphql;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much one GraphQL request may ask for ({@code capconduit.graphql.*}). The schema has cycles
 * (Seller.campaigns, Campaign.seller, ...), so without limits one short document could build a response large
 * enough to exhaust the heap the dialer shares.
 *
 * @param maxDepth most levels of nested fields in an operation
 * @param maxComplexity most values an operation may add to its response, as {@link ResponseSizeEstimate}
 *                      counts them; at most 100,000, so that no sum of field costs overflows
 * @param listSize rows assumed for a list field without a first, last or limit argument
 */
@ConfigurationProperties("capconduit.graphql")
record GraphQlLimitsProperties(@DefaultValue("10") int maxDepth, @DefaultValue("20000") int maxComplexity,
        @DefaultValue("10") int listSize) {

    GraphQlLimitsProperties {
        if (maxDepth < 1 || maxComplexity < 1 || maxComplexity > 100_000 || listSize < 1) {
            throw new IllegalArgumentException("capconduit.graphql: max-depth and list-size must be at least 1, "
                    + "max-complexity from 1 to 100000");
        }
    }
}
