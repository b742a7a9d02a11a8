package io.capconduit.system.graphql;

import jakarta.servlet.ServletException;

import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.webmvc.GraphQlHttpHandler;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Spring's GraphQlHttpHandler behind {@link MalformedRequests}' check of the body. A class of its own so that its logger,
 * named after it, is kept at INFO with Spring GraphQL's (application.yml): at DEBUG it prints each document.
 */
class CheckedGraphQlHttpHandler extends GraphQlHttpHandler {

    CheckedGraphQlHttpHandler(WebGraphQlHandler handler) {
        super(handler);
    }

    @Override
    public ServerResponse handleRequest(ServerRequest request) throws ServletException {
        return MalformedRequests.checked(request, super::handleRequest);
    }
}
