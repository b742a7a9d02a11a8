package io.capconduit.system.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A Relay connection built from a keyset query. Fetch {@link PageRequest#fetchSize()} rows (one more than
 * asked for): the extra row only tells whether a next page exists and is not returned. Schema side: declare
 * {@code type XConnection { edges: [XEdge!]! pageInfo: PageInfo! }} and {@code type XEdge { cursor: String! node: X! }}.
 */
public record Connection<T>(List<Edge<T>> edges, PageInfo pageInfo) {

    public static <T> Connection<T> of(List<T> rows, PageRequest page, Function<T, KeysetCursor> cursorOf) {
        boolean more = rows.size() > page.first();
        List<T> shown = more ? rows.subList(0, page.first()) : rows;
        List<Edge<T>> edges = new ArrayList<>(shown.size());
        for (T row : shown) {
            edges.add(new Edge<>(cursorOf.apply(row).encode(), row));
        }
        String end = edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor();
        return new Connection<>(edges, new PageInfo(more, end));
    }
}
