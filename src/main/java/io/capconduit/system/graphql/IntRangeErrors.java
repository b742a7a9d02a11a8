package io.capconduit.system.graphql;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.language.Document;
import graphql.language.SourceLocation;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import io.capconduit.system.InvalidInputException;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.ErrorType;

/**
 * An Int argument beyond 32 bits ({@code first: 99999999999}, or a variable holding it) is a BAD_REQUEST naming
 * its path and saying so, as every other argument the API cannot take is, instead of graphql-java's generic
 * ValidationError. graphql-java refuses it before anything runs, a literal while validating the document and a
 * variable while coercing it, at the argument's or the variable's location: the error at that location is replaced.
 */
@Configuration(proxyBeanMethods = false)
class IntRangeErrors {

    @Bean
    Instrumentation intsBeyondRangeNamed() {
        return new Instrumentation() {
            @Override
            public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result,
                    InstrumentationExecutionParameters parameters, InstrumentationState state) {
                return CompletableFuture.completedFuture(named(result, parameters.getExecutionInput(),
                        parameters.getSchema()));
            }
        };
    }

    /** The result with each refusal of an Int beyond 32 bits named; as it is when it holds none. */
    static ExecutionResult named(ExecutionResult result, ExecutionInput input, GraphQLSchema schema) {
        if (result.getErrors().stream().noneMatch(error -> error.getErrorType() == graphql.ErrorType.ValidationError)
                || input.getQuery() == null) {
            return result;
        }
        Document document;
        try {
            // parsed again on this path only: graphql-java's refusal keeps no document
            document = Parser.parse(input.getQuery());
        }
        catch (InvalidSyntaxException ex) {
            return result;
        }
        Map<SourceLocation, InputValues.Refused> beyond = IntsBeyondRange.in(document,
                input.getOperationName(), schema, input.getRawVariables().toMap());
        if (beyond.isEmpty()) {
            return result;
        }
        List<GraphQLError> errors = result.getErrors().stream().map(error -> named(error, beyond)).toList();
        return result.transform(builder -> builder.errors(errors));
    }

    private static GraphQLError named(GraphQLError error, Map<SourceLocation, InputValues.Refused> beyond) {
        InputValues.Refused value = error.getErrorType() == graphql.ErrorType.ValidationError
                && error.getLocations() != null && error.getLocations().size() == 1
                ? beyond.get(IntsBeyondRange.at(error.getLocations().get(0))) : null;
        if (value == null) {
            return error;
        }
        InvalidInputException invalid = new InvalidInputException(value.path(), "'"
                + InvalidInputException.shown(value.value()) + "' is beyond a whole number's range (-2147483648 to "
                + "2147483647)");
        return GraphqlErrorBuilder.newError().errorType(ErrorType.BAD_REQUEST).message(invalid.getMessage())
                .locations(error.getLocations()).extensions(Map.of("field", invalid.field())).build();
    }
}
