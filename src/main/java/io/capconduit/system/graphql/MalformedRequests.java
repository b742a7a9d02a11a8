package io.capconduit.system.graphql;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import jakarta.servlet.ServletException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.webmvc.GraphQlHttpHandler;
import org.springframework.graphql.server.webmvc.GraphQlSseHandler;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * A POST to /graphql whose body is no GraphQL request (not JSON, {@code "variables": "x"}, {@code "query": {}}, no
 * query) is answered 400 with a GraphQL error body, BAD_REQUEST naming the member at fault, as every other bad
 * input is, instead of Spring's bare 400. Boot's two handlers (plain JSON and server-sent events), with this added:
 * {@link CheckedGraphQlHttpHandler}, {@link CheckedGraphQlSseHandler}.
 */
@Configuration(proxyBeanMethods = false)
class MalformedRequests {

    private static final MediaType GRAPHQL = MediaType.parseMediaType("application/graphql");
    private static final MediaType GRAPHQL_RESPONSE = MediaType.parseMediaType("application/graphql-response+json");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Bean
    GraphQlHttpHandler graphQlHttpHandler(WebGraphQlHandler handler) {
        return new CheckedGraphQlHttpHandler(handler);
    }

    @Bean
    GraphQlSseHandler graphQlSseHandler(WebGraphQlHandler handler, GraphQlProperties properties) {
        GraphQlProperties.Sse sse = properties.getHttp().getSse();
        return new CheckedGraphQlSseHandler(handler, sse.getTimeout(), sse.getKeepAlive());
    }

    interface Handler {
        ServerResponse handle(ServerRequest request) throws ServletException;
    }

    /**
     * The request handed on with its body read once here; refused if that body is no GraphQL request. A body of
     * another type than JSON is left to Spring (415 Unsupported Media Type, saying which types it takes).
     */
    static ServerResponse checked(ServerRequest request, Handler handler) throws ServletException {
        MediaType type;
        try {
            type = request.headers().contentType().orElse(null);
        }
        catch (InvalidMediaTypeException ex) {
            return handler.handle(request);
        }
        if (type == null || !type.isCompatibleWith(MediaType.APPLICATION_JSON) && !GRAPHQL.includes(type)) {
            return handler.handle(request);
        }
        byte[] body;
        try {
            body = request.body(byte[].class);
        }
        catch (IOException ex) {
            throw new ServerWebInputException("I/O error while reading request body", null, ex);
        }
        String fault = fault(body);
        if (fault != null) {
            return refused(request, fault);
        }
        return handler.handle(ServerRequest.from(request).body(body).build());
    }

    /** The member of the body at fault ("" for the body itself), or null if it is a GraphQL request. */
    private static String fault(byte[] body) {
        JsonNode request;
        try {
            request = JSON.readTree(body);
        }
        catch (JacksonException ex) {
            return "";
        }
        if (request == null || !request.isObject()) {
            return "";
        }
        JsonNode query = request.get("query");
        if (query == null || !query.isString() || query.stringValue().isBlank()) {
            return "query";
        }
        if (!nullOr(request.get("operationName"), JsonNode::isString)) {
            return "operationName";
        }
        for (String member : List.of("variables", "extensions")) {
            if (!nullOr(request.get(member), JsonNode::isObject)) {
                return member;
            }
        }
        return null;
    }

    private static boolean nullOr(JsonNode value, Predicate<JsonNode> expected) {
        return value == null || value.isNull() || expected.test(value);
    }

    private static ServerResponse refused(ServerRequest request, String member) {
        String message = switch (member) {
            case "query" -> "query: must be the GraphQL document, a non-empty string";
            case "operationName" -> "operationName: must be a string, or null";
            case "variables" -> "variables: must be a JSON object of the variables' values by name, or null";
            case "extensions" -> "extensions: must be a JSON object, or null";
            default -> "The request body is no GraphQL request: a JSON object with query (a string), and optionally "
                    + "operationName (a string), variables and extensions (objects)";
        };
        Map<String, Object> extensions = member.isEmpty() ? Map.of("classification", ErrorType.BAD_REQUEST.name())
                : Map.of("classification", ErrorType.BAD_REQUEST.name(), "field", member);
        boolean graphQlResponse = request.headers().accept().stream()
                .anyMatch(type -> !type.isWildcardType() && GRAPHQL_RESPONSE.isCompatibleWith(type));
        return ServerResponse.badRequest().contentType(graphQlResponse ? GRAPHQL_RESPONSE : MediaType.APPLICATION_JSON)
                .body(Map.of("errors", List.of(Map.of("message", message, "extensions", extensions))));
    }
}
