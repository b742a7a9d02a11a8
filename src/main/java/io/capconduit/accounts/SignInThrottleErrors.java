package io.capconduit.accounts;

import java.util.Map;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;

import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.stereotype.Component;

/** A throttled password check in a mutation: classification TOO_MANY_REQUESTS with {@code retryAfterSeconds}. */
@Component
class SignInThrottleErrors extends DataFetcherExceptionResolverAdapter {

    enum Classification implements graphql.ErrorClassification {
        TOO_MANY_REQUESTS
    }

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
        if (!(ex instanceof SignInThrottle.RefusedException refused)) {
            return null;
        }
        return GraphqlErrorBuilder.newError(env).errorType(Classification.TOO_MANY_REQUESTS)
                .message(refused.getMessage()).extensions(Map.of("retryAfterSeconds", refused.retryAfterSeconds()))
                .build();
    }
}
