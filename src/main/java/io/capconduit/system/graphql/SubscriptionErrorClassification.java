package io.capconduit.system.graphql;

import java.util.Map;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;

import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.SubscriptionExceptionResolverAdapter;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;

/**
 * {@link ErrorClassification} for subscriptions: what a subscription's handler or its stream throws reaches the
 * client through these resolvers instead, so a refusal or an unknown id is classified as it is for a query.
 * Anything else stays INTERNAL_ERROR with no detail.
 */
@Component
class SubscriptionErrorClassification extends SubscriptionExceptionResolverAdapter {

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex) {
        if (ex instanceof InvalidInputException invalid) {
            return error(ErrorType.BAD_REQUEST, invalid.getMessage(), Map.of("field", invalid.field()));
        }
        if (ex instanceof NotFoundException) {
            return error(ErrorType.NOT_FOUND, ex.getMessage(), Map.of());
        }
        if (ex instanceof AccessDeniedException) {
            return error(ErrorType.FORBIDDEN, "Forbidden", Map.of());
        }
        if (ex instanceof AuthenticationException) {
            return error(ErrorType.UNAUTHORIZED, "Unauthorized", Map.of());
        }
        return null;
    }

    private static GraphQLError error(ErrorType type, String message, Map<String, Object> extensions) {
        return GraphqlErrorBuilder.newError().errorType(type).message(message).extensions(extensions).build();
    }
}
