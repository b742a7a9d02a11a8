package io.capconduit.system.graphql;

import java.time.Duration;

import jakarta.servlet.ServletException;

import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.webmvc.GraphQlSseHandler;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Spring's GraphQlSseHandler behind {@link MalformedRequests}' check of the body. A class of its own so that its logger,
 * named after it, is kept at INFO with Spring GraphQL's (application.yml): at DEBUG it prints each document.
 */
class CheckedGraphQlSseHandler extends GraphQlSseHandler {

    CheckedGraphQlSseHandler(WebGraphQlHandler handler, Duration timeout, Duration keepAlive) {
        super(handler, timeout, keepAlive);
    }

    @Override
    public ServerResponse handleRequest(ServerRequest request) throws ServletException {
        return MalformedRequests.checked(request, super::handleRequest);
    }
}
