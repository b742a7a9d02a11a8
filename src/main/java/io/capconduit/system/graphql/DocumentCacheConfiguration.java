package io.capconduit.system.graphql;

import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Parses and validates each distinct query text once. Programs send the same few documents over and over
 * (variables change, the text does not), so this saves the parse and validation on almost every request.
 * Bounded to the {@value #SIZE} most recently used documents and by the length of their text
 * ({@code capconduit.graphql.document-cache.*}).
 */
@Configuration(proxyBeanMethods = false)
class DocumentCacheConfiguration {

    static final int SIZE = 500;

    @Bean
    GraphQlSourceBuilderCustomizer documentCache(GraphQlLimitsProperties limits) {
        DocumentCache cache = new DocumentCache(SIZE, limits.documentCache().maxDocumentLength(),
                limits.documentCache().maxTotalLength());
        return builder -> builder.configureGraphQl(graphQl -> graphQl.preparsedDocumentProvider(cache));
    }
}
