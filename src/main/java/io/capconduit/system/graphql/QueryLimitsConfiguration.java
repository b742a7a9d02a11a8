package io.capconduit.system.graphql;

import java.util.List;
import java.util.Map;

import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.Field;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.ErrorType;

/**
 * Refuses, before anything runs, an operation nested deeper than {@code capconduit.graphql.max-depth} or whose
 * response could hold more than {@code capconduit.graphql.max-complexity} values ({@link ResponseSizeEstimate}):
 * a BAD_REQUEST naming the limit. An operation that only introspects the schema is left to graphql-java's own
 * good-faith introspection check, so tools that send the standard, deeply nested introspection query still work.
 */
@Configuration(proxyBeanMethods = false)
class QueryLimitsConfiguration {

    @Bean
    Instrumentation maxQueryDepth(GraphQlLimitsProperties limits) {
        return new MaxQueryDepthInstrumentation(limits.maxDepth()) {
            @Override
            public InstrumentationContext<ExecutionResult> beginExecuteOperation(
                    InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
                return introspectionOnly(parameters.getExecutionContext()) ? SimpleInstrumentationContext.noOp()
                        : super.beginExecuteOperation(parameters, state);
            }

            @Override
            protected AbortExecutionException mkAbortException(int depth, int maxDepth) {
                return refused("The query nests fields " + depth + " levels deep; at most " + maxDepth
                        + " are allowed", "max-depth", maxDepth);
            }
        };
    }

    @Bean
    Instrumentation maxQueryComplexity(GraphQlLimitsProperties limits) {
        ResponseSizeEstimate estimate = new ResponseSizeEstimate(limits.listSize(), limits.maxComplexity() + 1);
        return new MaxQueryComplexityInstrumentation(limits.maxComplexity(), estimate) {
            @Override
            public InstrumentationContext<ExecutionResult> beginExecuteOperation(
                    InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
                return introspectionOnly(parameters.getExecutionContext()) ? SimpleInstrumentationContext.noOp()
                        : super.beginExecuteOperation(parameters, state);
            }

            @Override
            protected AbortExecutionException mkAbortException(int complexity, int maxComplexity) {
                return refused("The query could return more than " + maxComplexity + " values, the most one "
                        + "request may ask for: ask for fewer rows (first), fewer nested lists or fewer aliases",
                        "max-complexity", maxComplexity);
            }
        };
    }

    /** Only __schema, __type or __typename at the top. */
    private static boolean introspectionOnly(ExecutionContext context) {
        return context.getOperationDefinition().getSelectionSet().getSelections().stream()
                .allMatch(selection -> selection instanceof Field field && field.getName().startsWith("__"));
    }

    private static AbortExecutionException refused(String message, String limit, int max) {
        return new AbortExecutionException(List.of(GraphqlErrorBuilder.newError().errorType(ErrorType.BAD_REQUEST)
                .message(message + " (capconduit.graphql." + limit + ")")
                .extensions(Map.of("limit", "capconduit.graphql." + limit, "max", max)).build()));
    }
}
