package io.capconduit.system.graphql;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;

import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Parses and validates each distinct query text once. Programs send the same few documents over and over
 * (variables change, the text does not), so this saves the parse and validation on almost every request.
 * Bounded to the {@value #SIZE} most recently used documents.
 */
@Configuration(proxyBeanMethods = false)
class DocumentCacheConfiguration {

    static final int SIZE = 500;

    @Bean
    GraphQlSourceBuilderCustomizer documentCache() {
        Map<String, PreparsedDocumentEntry> cache = Collections.synchronizedMap(
                new LinkedHashMap<>(64, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, PreparsedDocumentEntry> eldest) {
                        return size() > SIZE;
                    }
                });
        PreparsedDocumentProvider provider = new PreparsedDocumentProvider() {
            @Override
            public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
                    Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
                PreparsedDocumentEntry entry = cache.get(input.getQuery());
                if (entry == null) {
                    entry = parseAndValidate.apply(input);
                    if (!entry.hasErrors()) {
                        cache.put(input.getQuery(), entry);
                    }
                }
                return CompletableFuture.completedFuture(entry);
            }
        };
        return builder -> builder.configureGraphQl(graphQl -> graphQl.preparsedDocumentProvider(provider));
    }
}
