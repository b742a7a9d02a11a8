package io.capconduit.system.graphql;

import java.util.List;
import java.util.Map;

import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;

/**
 * The scalars inside an argument's value as graphql-java hands it over (a list a List, an input object a Map), each
 * with its path from the field's arguments ({@code input.campaignIds[2]}): for the checks that refuse one by it.
 */
final class InputValues {

    /** A check of one scalar value of the given type. */
    interface Check {
        boolean refuses(GraphQLScalarType type, Object value);
    }

    /** A scalar value refused, at its path. */
    record Refused(String path, Object value) {
    }

    private InputValues() {
    }

    /**
     * The first scalar in {@code value} (of {@code type}, at {@code path}) that {@code check} refuses, or null. A
     * single value given for a list stands for a list of one, as GraphQL coerces it.
     */
    static Refused firstRefused(String path, GraphQLInputType type, Object value, Check check) {
        GraphQLType inner = GraphQLTypeUtil.unwrapNonNull(type);
        if (inner instanceof GraphQLList list) {
            GraphQLInputType element = (GraphQLInputType) list.getWrappedType();
            if (!(value instanceof List<?> values)) {
                return firstRefused(path, element, value, check);
            }
            for (int i = 0; i < values.size(); i++) {
                Refused refused = firstRefused(path + "[" + i + "]", element, values.get(i), check);
                if (refused != null) {
                    return refused;
                }
            }
        }
        else if (value instanceof Map<?, ?> object && inner instanceof GraphQLInputObjectType input) {
            for (GraphQLInputObjectField field : input.getFields()) {
                Refused refused = firstRefused(path + "." + field.getName(), field.getType(),
                        object.get(field.getName()), check);
                if (refused != null) {
                    return refused;
                }
            }
        }
        else if (inner instanceof GraphQLScalarType scalar && value != null && check.refuses(scalar, value)) {
            return new Refused(path, value);
        }
        return null;
    }
}
