package io.capconduit.system.graphql;

/** Relay {@code PageInfo} of a forward-only keyset page. */
public record PageInfo(boolean hasNextPage, String endCursor) {
}
