package io.capconduit.system.graphql;

import java.util.List;

import graphql.analysis.FieldComplexityCalculator;
import graphql.analysis.FieldComplexityEnvironment;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLTypeUtil;

/**
 * A field's complexity for graphql-java's MaxQueryComplexityInstrumentation: about how many values it can add
 * to the response. A field counts 1 plus what it selects, a list field that once per row it may return: as
 * many as its {@code first}, {@code last} or {@code limit} argument (default included), as many as the
 * enclosing field's {@code first} for a list without one (a connection's {@code edges}), else {@code listSize}.
 * A list inside itself (Seller.campaigns within Seller.campaigns, through Campaign.seller) only walks the
 * schema's cycles, its size the square of the real list's: it costs the most there is. Costs stop at
 * {@code ceiling}, anything over the limit being over, so sums of them stay far from overflowing.
 */
record ResponseSizeEstimate(int listSize, int ceiling) implements FieldComplexityCalculator {

    private static final List<String> ROW_ARGUMENTS = List.of("first", "last", "limit");

    @Override
    public int calculate(FieldComplexityEnvironment env, int childComplexity) {
        // a negative sum of the children has overflowed: as over the limit as it gets
        long own = childComplexity < 0 ? ceiling : 1L + childComplexity;
        boolean list = GraphQLTypeUtil.unwrapNonNull(env.getFieldDefinition().getType()) instanceof GraphQLList;
        if (list && insideItself(env)) {
            return ceiling;
        }
        return (int) Math.min(ceiling, list ? own * rows(env) : own);
    }

    private static boolean insideItself(FieldComplexityEnvironment env) {
        for (FieldComplexityEnvironment up = env.getParentEnvironment(); up != null; up = up.getParentEnvironment()) {
            if (up.getFieldDefinition().getName().equals(env.getFieldDefinition().getName())
                    && up.getParentType().getName().equals(env.getParentType().getName())) {
                return true;
            }
        }
        return false;
    }

    private long rows(FieldComplexityEnvironment env) {
        Long own = rowArgument(env);
        if (own != null) {
            return own;
        }
        Long enclosing = env.getParentEnvironment() == null ? null : rowArgument(env.getParentEnvironment());
        return enclosing != null ? enclosing : listSize;
    }

    private static Long rowArgument(FieldComplexityEnvironment env) {
        for (String name : ROW_ARGUMENTS) {
            if (env.getArguments().get(name) instanceof Number rows) {
                return Math.max(1, rows.longValue());
            }
        }
        return null;
    }
}
