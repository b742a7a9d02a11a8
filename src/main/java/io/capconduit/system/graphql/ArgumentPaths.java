package io.capconduit.system.graphql;

import java.util.List;

import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLTypeUtil;

/**
 * A refused value's field named by its path from the operation's arguments ({@code input.name},
 * {@code filter.to}, {@code input.campaignIds[2]}, a top-level argument bare: {@code id}), however the service
 * named it. Services name a field of their input record on its own ({@code name}), as the REST endpoints name their
 * request parameters; a field of a GraphQL input-object argument is qualified here, once for every operation.
 */
final class ArgumentPaths {

    private ArgumentPaths() {
    }

    /**
     * The full path of {@code field} among {@code operation}'s arguments. A path whose first step is an argument is
     * one already. One that starts with a field of exactly one input-object argument gets that argument in front. Any
     * other is returned as it is: a name that is no argument field cannot be made a path by guessing, and one that
     * two input objects share would be a guess ({@code ArgumentPathsTests} holds the schema to having none).
     */
    static String qualified(String field, GraphQLFieldDefinition operation) {
        if (field == null || operation == null) {
            return field;
        }
        String head = head(field);
        if (operation.getArgument(head) != null) {
            return field;
        }
        List<String> holders = holders(head, operation);
        return holders.size() == 1 ? holders.get(0) + "." + field : field;
    }

    /** The arguments of {@code operation} whose input-object type has a field {@code name}. */
    static List<String> holders(String name, GraphQLFieldDefinition operation) {
        return operation.getArguments().stream()
                .filter(argument -> GraphQLTypeUtil.unwrapNonNull(argument.getType())
                        instanceof GraphQLInputObjectType object && object.getField(name) != null)
                .map(GraphQLArgument::getName).toList();
    }

    /** The first step of a path: {@code campaignIds} of {@code campaignIds[2]}, {@code input} of {@code input.name}. */
    static String head(String path) {
        return path.split("[.\\[]", 2)[0];
    }
}
