package io.capconduit.system.graphql;

import java.util.List;

import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * A subscription posted as plain JSON has no stream to answer on: Spring GraphQL would serialise the publisher it
 * never subscribes to as the data ({@code {"upstreamPublisher": ...}}). It gets a BAD_REQUEST saying where
 * subscriptions run instead. Over the WebSocket, or as server-sent events (Accept: text/event-stream), it runs.
 * One refused before its stream began (a variable of the wrong type, a blank id) tells so as server-sent events
 * too: Spring's handler would answer "SSE handler supports only subscriptions" in place of the errors.
 */
@Component
class PlainHttpSubscriptions implements WebGraphQlInterceptor {

    static final String MESSAGE = "A subscription runs over the WebSocket at /graphql (graphql-transport-ws), or as "
            + "server-sent events (POST with Accept: text/event-stream), not as a plain JSON request";

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        if (request instanceof WebSocketGraphQlRequest) {
            return chain.next(request);
        }
        if (asksForEvents(request)) {
            return chain.next(request).map(response -> response.getExecutionResult().getData() == null
                    && !response.getErrors().isEmpty()
                    ? response.transform(refused -> refused.data(Flux.just(ExecutionResult.newExecutionResult()
                            .errors(response.getExecutionResult().getErrors()).build())).errors(List.of()))
                    : response);
        }
        return chain.next(request).map(response -> response.getExecutionResult().getData() instanceof Publisher<?>
                ? response.transform(refused -> refused.data(null).errors(List.of(GraphqlErrorBuilder.newError()
                        .errorType(ErrorType.BAD_REQUEST).message(MESSAGE).build())))
                : response);
    }

    /** Accept names text/event-stream itself (a wildcard goes to the JSON handler). */
    private static boolean asksForEvents(WebGraphQlRequest request) {
        return request.getHeaders().getAccept().stream().anyMatch(type -> !type.isWildcardType()
                && !type.isWildcardSubtype() && type.isCompatibleWith(MediaType.TEXT_EVENT_STREAM));
    }
}
