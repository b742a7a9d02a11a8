package io.capconduit.system.graphql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Shapes one batched query's rows into the map a {@code @BatchMapping} returns, so nested fields cost one
 * statement per level, not one per parent. Example:
 * {@code Batches.one(campaigns, Campaign::sellerId, sellerMapper::findByIds, Seller::id)}.
 */
public final class Batches {

    private Batches() {
    }

    /** Each parent to its children: {@code childrenOf} gets the parents' keys and returns every child once. */
    public static <P, C> Map<P, List<C>> many(List<P> parents, Function<P, Long> key, Function<List<Long>, List<C>> childrenOf,
            Function<C, Long> parentKeyOfChild) {
        List<Long> keys = parents.stream().map(key).filter(Objects::nonNull).distinct().toList();
        Map<Long, List<C>> grouped = keys.isEmpty() ? Map.of()
                : childrenOf.apply(keys).stream().collect(Collectors.groupingBy(parentKeyOfChild));
        Map<P, List<C>> result = new LinkedHashMap<>();
        parents.forEach(parent -> result.put(parent, grouped.getOrDefault(key.apply(parent), List.of())));
        return result;
    }

    /** Each parent to the one object its foreign key names (absent when the key is null). */
    public static <P, C> Map<P, C> one(List<P> parents, Function<P, Long> foreignKey, Function<List<Long>, List<C>> byIds,
            Function<C, Long> idOf) {
        List<Long> keys = parents.stream().map(foreignKey).filter(Objects::nonNull).distinct().toList();
        Map<Long, C> found = keys.isEmpty() ? Map.of()
                : byIds.apply(keys).stream().collect(Collectors.toMap(idOf, c -> c));
        Map<P, C> result = new LinkedHashMap<>();
        parents.forEach(parent -> {
            Long fk = foreignKey.apply(parent);
            if (fk != null && found.containsKey(fk)) {
                result.put(parent, found.get(fk));
            }
        });
        return result;
    }
}
