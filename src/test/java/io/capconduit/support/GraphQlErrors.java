package io.capconduit.support;

import java.util.function.Predicate;

import org.springframework.graphql.ResponseError;

/** Predicates over classified GraphQL errors, for {@code errors().expect(...)}. */
public final class GraphQlErrors {

    private GraphQlErrors() {
    }

    /** A BAD_REQUEST naming {@code field} in {@code extensions.field}. */
    public static Predicate<ResponseError> badInput(String field) {
        return error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                && field.equals(error.getExtensions().get("field"));
    }

    public static Predicate<ResponseError> classified(String classification) {
        return error -> classification.equals(error.getExtensions().get("classification"));
    }
}
