package io.capconduit.system.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;

/**
 * One request per list of the API and per chain of nested object fields under its rows, generated from the schema
 * (a new field is covered without a new test): the list's rows with every scalar field, and the objects along the
 * chain with every scalar field of theirs, up to {@link #DEPTH} levels of rows. One chain per request keeps each
 * under the complexity limit and says which field fans out.
 */
final class NestedSelections {

    static final int DEPTH = 3;

    /** Rows asked for where a list has a page size: more than the test's largest data set. */
    static final int PAGE = 25;

    private static final List<String> PAGE_SIZES = List.of("first", "last", "limit");

    /** One request: {@code field} of the root type, {@code chain} the nested object fields it follows. */
    record Probe(String operation, String field, String chain, String document) {

        @Override
        public String toString() {
            return operation + " " + field + (chain.isEmpty() ? "" : " > " + chain);
        }
    }

    private NestedSelections() {
    }

    /**
     * Every list field of {@code root} (a list, a connection, or an object holding a list of objects such as a
     * report), each with its chains; {@code scopes} gives required arguments by name. A list with a required
     * argument without a scope fails, so a new list is not silently left out.
     */
    static List<Probe> probes(String operation, GraphQLObjectType root, Map<String, Object> scopes) {
        List<Probe> probes = new ArrayList<>();
        for (GraphQLFieldDefinition field : root.getFieldDefinitions()) {
            GraphQLObjectType rows = rowType(field.getType());
            if (rows == null || !list(field.getType()) && !scoped(field, scopes)) {
                // one object found by its id (callLog(id)): its lists grow with no data set of this test
                continue;
            }
            String arguments = arguments(field, scopes);
            for (List<GraphQLFieldDefinition> chain : chains(rows, new ArrayList<>())) {
                String selection = selection(rows, chain);
                if (connection(field.getType())) {
                    selection = "edges { cursor node { " + selection + " } } pageInfo { hasNextPage endCursor }";
                }
                String document = operation + " { " + field.getName() + arguments + " { " + selection + " } }";
                probes.add(new Probe(operation, field.getName(),
                        chain.stream().map(GraphQLFieldDefinition::getName).collect(Collectors.joining(".")), document));
            }
        }
        return probes;
    }

    /**
     * A request per page-size argument (first, last, limit) of a list at the top or under a list's rows, asking for
     * {@code rows}; {@code arguments} of the request hold the other required ones.
     */
    static List<Probe> pageSizes(GraphQLObjectType root, Map<String, Object> scopes, int rows) {
        List<Probe> probes = new ArrayList<>();
        for (GraphQLFieldDefinition field : root.getFieldDefinitions()) {
            GraphQLObjectType rowType = rowType(field.getType());
            if (rowType == null || !list(field.getType()) && !scoped(field, scopes)) {
                continue;
            }
            for (GraphQLArgument size : pageSizeArguments(field)) {
                probes.add(new Probe("query", field.getName(), size.getName(), "{ " + field.getName()
                        + arguments(field, scopes, size.getName(), rows) + " { __typename } }"));
            }
            for (GraphQLFieldDefinition nested : rowType.getFieldDefinitions()) {
                for (GraphQLArgument size : pageSizeArguments(nested)) {
                    String inner = nested.getName() + "(" + size.getName() + ": " + rows + ")"
                            + (GraphQLTypeUtil.unwrapAll(nested.getType()) instanceof GraphQLObjectType ? " { __typename }" : "");
                    String selection = connection(field.getType()) ? "edges { node { " + inner + " } }" : inner;
                    probes.add(new Probe("query", field.getName(), nested.getName() + "(" + size.getName() + ")",
                            "{ " + field.getName() + arguments(field, scopes) + " { " + selection + " } }"));
                }
            }
        }
        return probes;
    }

    private static List<GraphQLArgument> pageSizeArguments(GraphQLFieldDefinition field) {
        return field.getArguments().stream().filter(a -> PAGE_SIZES.contains(a.getName())).toList();
    }

    /** The type of a list's rows; the object itself for one that holds a list of objects; null for anything else. */
    static GraphQLObjectType rowType(GraphQLType type) {
        GraphQLType inner = GraphQLTypeUtil.unwrapNonNull(type);
        if (inner instanceof GraphQLList list) {
            return GraphQLTypeUtil.unwrapAll(list) instanceof GraphQLObjectType object ? object : null;
        }
        if (!(inner instanceof GraphQLObjectType object)) {
            return null;
        }
        if (connection(object)) {
            return (GraphQLObjectType) GraphQLTypeUtil.unwrapAll(
                    ((GraphQLObjectType) GraphQLTypeUtil.unwrapAll(object.getFieldDefinition("edges").getType()))
                            .getFieldDefinition("node").getType());
        }
        boolean holdsRows = object.getFieldDefinitions().stream().anyMatch(f -> GraphQLTypeUtil.unwrapNonNull(f.getType())
                instanceof GraphQLList && GraphQLTypeUtil.unwrapAll(f.getType()) instanceof GraphQLObjectType);
        return holdsRows ? object : null;
    }

    private static boolean list(GraphQLType type) {
        return GraphQLTypeUtil.unwrapNonNull(type) instanceof GraphQLList || connection(type);
    }

    private static boolean scoped(GraphQLFieldDefinition field, Map<String, Object> scopes) {
        return field.getArguments().stream()
                .allMatch(a -> !GraphQLTypeUtil.isNonNull(a.getType()) || scopes.containsKey(a.getName()));
    }

    static boolean connection(GraphQLType type) {
        return GraphQLTypeUtil.unwrapNonNull(type) instanceof GraphQLObjectType object
                && object.getName().endsWith("Connection") && object.getFieldDefinition("edges") != null;
    }

    private static String arguments(GraphQLFieldDefinition field, Map<String, Object> scopes) {
        return arguments(field, scopes, null, PAGE);
    }

    /** The scoped required arguments, {@code size} (if any) holding {@code rows}, first and last PAGE. */
    private static String arguments(GraphQLFieldDefinition field, Map<String, Object> scopes, String size, int rows) {
        List<String> given = new ArrayList<>();
        for (GraphQLArgument argument : field.getArguments()) {
            if (argument.getName().equals(size)) {
                given.add(argument.getName() + ": " + rows);
            }
            else if (List.of("first", "last").contains(argument.getName())) {
                given.add(argument.getName() + ": " + PAGE);
            }
            else if (GraphQLTypeUtil.isNonNull(argument.getType())) {
                if (!scopes.containsKey(argument.getName())) {
                    throw new IllegalStateException(field.getName() + " needs " + argument.getName()
                            + ": give FamiliesFixture.scopes() a value for it");
                }
                given.add(argument.getName() + ": \"" + scopes.get(argument.getName()) + "\"");
            }
        }
        return given.isEmpty() ? "" : "(" + String.join(", ", given) + ")";
    }

    /** Every chain of object fields under {@code type}, the empty one first, up to DEPTH levels of rows in all. */
    private static List<List<GraphQLFieldDefinition>> chains(GraphQLObjectType type, List<GraphQLFieldDefinition> above) {
        List<List<GraphQLFieldDefinition>> chains = new ArrayList<>();
        chains.add(above);
        if (above.size() + 1 >= DEPTH) {
            return chains;
        }
        for (GraphQLFieldDefinition field : type.getFieldDefinitions()) {
            if (GraphQLTypeUtil.unwrapAll(field.getType()) instanceof GraphQLObjectType object && !requiresArguments(field)) {
                List<GraphQLFieldDefinition> longer = new ArrayList<>(above);
                longer.add(field);
                chains.addAll(chains(object, longer));
            }
        }
        return chains;
    }

    private static String selection(GraphQLObjectType type, List<GraphQLFieldDefinition> chain) {
        List<String> fields = new ArrayList<>();
        for (GraphQLFieldDefinition field : type.getFieldDefinitions()) {
            GraphQLType named = GraphQLTypeUtil.unwrapAll(field.getType());
            if ((named instanceof GraphQLScalarType || named instanceof GraphQLEnumType) && !requiresArguments(field)) {
                fields.add(field.getName());
            }
        }
        if (!chain.isEmpty()) {
            GraphQLFieldDefinition next = chain.get(0);
            fields.add(next.getName() + " { " + selection((GraphQLObjectType) GraphQLTypeUtil.unwrapAll(next.getType()),
                    chain.subList(1, chain.size())) + " }");
        }
        return String.join(" ", fields);
    }

    private static boolean requiresArguments(GraphQLFieldDefinition field) {
        return field.getArguments().stream().anyMatch(a -> GraphQLTypeUtil.isNonNull(a.getType()));
    }
}
