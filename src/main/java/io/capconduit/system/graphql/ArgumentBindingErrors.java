package io.capconduit.system.graphql;

import java.util.Map;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;

import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.stereotype.Component;
import org.springframework.validation.BindException;
import org.springframework.validation.FieldError;

/**
 * An argument that cannot be converted to what the handler takes (e.g. {@code id: "abc"} for a numeric id) is
 * a BAD_REQUEST naming the field, like every other bad input, instead of an internal error.
 */
@Component
class ArgumentBindingErrors extends DataFetcherExceptionResolverAdapter {

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
        if (!(ex instanceof BindException bind)) {
            return null;
        }
        FieldError first = bind.getFieldError();
        String field = first != null ? first.getField() : bind.getObjectName();
        return GraphqlErrorBuilder.newError(env).errorType(ErrorType.BAD_REQUEST)
                .message(field + ": '" + (first != null ? first.getRejectedValue() : "?") + "' is not a valid value")
                .extensions(Map.of("field", field)).build();
    }
}
