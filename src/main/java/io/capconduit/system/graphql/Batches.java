package io.capconduit.system.graphql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Shapes one batched query's rows into the map a {@code @BatchMapping} returns, so nested fields cost one
 * statement per level, not one per parent. Keys are ids ({@code Long}) or any other value with equals/hashCode
 * (a linked id). Example:
 * {@code Batches.one(campaigns, Campaign::sellerId, sellerMapper::findByIds, Seller::id)}.
 */
public final class Batches {

    private Batches() {
    }

    /**
     * Each parent to its children: {@code childrenOf} gets the parents' keys and returns every child once; each
     * parent's children keep the order {@code childrenOf} returned them in.
     */
    public static <P, C, K> Map<P, List<C>> many(List<P> parents, Function<P, K> key, Function<List<K>, List<C>> childrenOf,
            Function<C, K> parentKeyOfChild) {
        List<K> keys = parents.stream().map(key).filter(Objects::nonNull).distinct().toList();
        Map<K, List<C>> grouped = keys.isEmpty() ? Map.of()
                : childrenOf.apply(keys).stream().collect(Collectors.groupingBy(parentKeyOfChild));
        Map<P, List<C>> result = new LinkedHashMap<>();
        parents.forEach(parent -> result.put(parent, grouped.getOrDefault(key.apply(parent), List.of())));
        return result;
    }

    /** Each parent to the one object its foreign key names (absent when the key is null). */
    public static <P, C, K> Map<P, C> one(List<P> parents, Function<P, K> foreignKey, Function<List<K>, List<C>> byIds,
            Function<C, K> idOf) {
        Map<K, C> found = byId(parents.stream().map(foreignKey), byIds, idOf);
        Map<P, C> result = new LinkedHashMap<>();
        parents.forEach(parent -> {
            K fk = foreignKey.apply(parent);
            if (fk != null && found.containsKey(fk)) {
                result.put(parent, found.get(fk));
            }
        });
        return result;
    }

    /** Each parent to the objects its list of keys names, in that list's order (a key not found left out). */
    public static <P, C> Map<P, List<C>> listed(List<P> parents, Function<P, List<Long>> keysOf,
            Function<List<Long>, List<C>> byIds, Function<C, Long> idOf) {
        Map<Long, C> found = byId(parents.stream().flatMap(parent -> keysOf.apply(parent).stream()), byIds, idOf);
        Map<P, List<C>> result = new LinkedHashMap<>();
        parents.forEach(parent -> result.put(parent,
                keysOf.apply(parent).stream().filter(found::containsKey).map(found::get).toList()));
        return result;
    }

    private static <C, K> Map<K, C> byId(Stream<K> keys, Function<List<K>, List<C>> byIds, Function<C, K> idOf) {
        List<K> distinct = keys.filter(Objects::nonNull).distinct().toList();
        return distinct.isEmpty() ? Map.of() : byIds.apply(distinct).stream().collect(Collectors.toMap(idOf, c -> c));
    }
}
