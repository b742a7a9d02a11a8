package io.capconduit.system.graphql;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.parser.Parser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.GraphQlSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The application's parsed-document cache keeps the short documents programs repeat, and only so much text. */
@IntegrationTest
class DocumentCacheIntegrationTests {

    @Autowired
    GraphQlSource source;

    PreparsedDocumentProvider cache;

    final AtomicInteger parses = new AtomicInteger();

    @BeforeEach
    void theApplicationsCache() {
        cache = source.graphQl().getPreparsedDocumentProvider();
    }

    @Test
    void aShortDocumentIsParsedOnceAndALongOneEveryTime() {
        String text = document(100);
        String large = document(70_000);

        ask(text);
        ask(text);
        assertThat(parses).hasValue(1);

        ask(large);
        ask(large);
        assertThat(parses).as("a document over 64K characters is not kept").hasValue(3);
    }

    /** 500 distinct documents just under the length limit could otherwise hold several hundred MB of heap. */
    @Test
    void theCacheHoldsAtMostTwoMillionCharactersOfText() {
        String first = document(60_000);
        ask(first);
        for (int i = 0; i < 34; i++) {
            ask(document(60_000));
        }
        String last = document(60_000);
        ask(last);
        int parsed = parses.get();

        ask(last);
        assertThat(parses).as("the latest is kept").hasValue(parsed);
        ask(first);
        assertThat(parses).as("the least recently used went first").hasValue(parsed + 1);
    }

    private void ask(String query) {
        Function<ExecutionInput, PreparsedDocumentEntry> parse = input -> {
            parses.incrementAndGet();
            return new PreparsedDocumentEntry(Parser.parse(input.getQuery()));
        };
        cache.getDocumentAsync(ExecutionInput.newExecutionInput(query).build(), parse).join();
    }

    /** A distinct document of about {@code length} characters (a comment pads it). */
    private static String document(int length) {
        String query = "{ me { username } } # " + UUID.randomUUID() + " ";
        return query + "x".repeat(Math.max(0, length - query.length()));
    }
}
