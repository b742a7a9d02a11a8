package io.capconduit.system.graphql;

import java.util.Map;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;

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
        GraphQLError ours = ErrorClassification.applicationError(ex, GraphqlErrorBuilder.newError(), null);
        if (ours != null) {
            return ours;
        }
        if (ex instanceof SubscriptionLimitsConfiguration.TooManySubscriptionsException tooMany) {
            return GraphqlErrorBuilder.newError().errorType(ErrorType.BAD_REQUEST).message(tooMany.getMessage())
                    .extensions(Map.of("limit", SubscriptionLimitsConfiguration.LIMIT, "max", tooMany.max)).build();
        }
        if (ex instanceof AccessDeniedException) {
            return error(ErrorType.FORBIDDEN, "Forbidden");
        }
        if (ex instanceof AuthenticationException) {
            // Spring Security's messages and ours (a subscription whose sign-in ended) say why, never with what
            return error(ErrorType.UNAUTHORIZED, ex.getMessage() == null ? "Unauthorized" : ex.getMessage());
        }
        return null;
    }

    private static GraphQLError error(ErrorType type, String message) {
        return GraphqlErrorBuilder.newError().errorType(type).message(message).build();
    }
}
