package io.capconduit.system.graphql;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;

/**
 * Parsed and validated documents by query text, least recently used evicted first: at most {@code entries} of
 * them and {@code maxTotalLength} characters of text in all. A text longer than {@code maxDocumentLength} is
 * parsed every time, so a stream of distinct large documents cannot pin the heap (GraphQL documents up to 1 MB
 * reach the parser, and a parsed one holds up to about 25 bytes per character).
 */
final class DocumentCache implements PreparsedDocumentProvider {

    private final int entries;
    private final int maxDocumentLength;
    private final long maxTotalLength;
    private final LinkedHashMap<String, PreparsedDocumentEntry> cache = new LinkedHashMap<>(64, 0.75f, true);
    private long totalLength;

    DocumentCache(int entries, int maxDocumentLength, long maxTotalLength) {
        this.entries = entries;
        this.maxDocumentLength = maxDocumentLength;
        this.maxTotalLength = maxTotalLength;
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
            Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        String query = input.getQuery();
        PreparsedDocumentEntry entry = query.length() > maxDocumentLength ? null : get(query);
        if (entry == null) {
            entry = parseAndValidate.apply(input);
            if (!entry.hasErrors() && query.length() <= maxDocumentLength) {
                put(query, entry);
            }
        }
        return CompletableFuture.completedFuture(entry);
    }

    synchronized int size() {
        return cache.size();
    }

    private synchronized PreparsedDocumentEntry get(String query) {
        return cache.get(query);
    }

    private synchronized void put(String query, PreparsedDocumentEntry entry) {
        if (cache.put(query, entry) == null) {
            totalLength += query.length();
        }
        Iterator<Map.Entry<String, PreparsedDocumentEntry>> eldest = cache.entrySet().iterator();
        while ((cache.size() > entries || totalLength > maxTotalLength) && eldest.hasNext()) {
            totalLength -= eldest.next().getKey().length();
            eldest.remove();
        }
    }
}
