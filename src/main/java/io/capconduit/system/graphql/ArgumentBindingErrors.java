package io.capconduit.system.graphql;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import io.capconduit.system.InvalidInputException;

import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.stereotype.Component;
import org.springframework.validation.BindException;
import org.springframework.validation.FieldError;

/**
 * An argument that cannot be converted to what the handler takes (e.g. {@code id: "abc"} for a numeric id) is
 * a BAD_REQUEST naming the argument ({@code id}, {@code input.sellerId}), like every other bad input, instead of
 * an internal error.
 */
@Component
class ArgumentBindingErrors extends DataFetcherExceptionResolverAdapter {

    /** One step of Spring's binding path: {@code .name}, {@code [name]} or {@code [2]}. */
    private static final Pattern STEP = Pattern.compile("\\.([^.\\[]+)|\\[([^]]*)]");

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
        if (!(ex instanceof BindException bind)) {
            return null;
        }
        InvalidInputException invalid = invalid(bind, env.getArguments());
        return GraphqlErrorBuilder.newError(env).errorType(ErrorType.BAD_REQUEST).message(invalid.getMessage())
                .extensions(Map.of("field", invalid.field())).build();
    }

    /** The refusal, naming the argument among the field's {@code arguments} (subscriptions classify it later). */
    static InvalidInputException invalid(BindException bind, Map<String, Object> arguments) {
        FieldError first = bind.getFieldError();
        Object rejected = first != null ? first.getRejectedValue() : null;
        String field = argument(arguments, first != null ? first.getField() : "$", rejected);
        return new InvalidInputException(field,
                "'" + (first != null ? InvalidInputException.shown(rejected) : "?") + "' is not a valid value");
    }

    /**
     * Spring names the value it binds {@code $} ({@code $.sellerId} inside it), whichever argument it is: the
     * argument is the one holding the rejected value at that path.
     */
    static String argument(Map<String, Object> arguments, String path, Object rejected) {
        List<String> steps = STEP.matcher(path).results().map(ArgumentBindingErrors::step).toList();
        for (Map.Entry<String, Object> argument : arguments.entrySet()) {
            Optional<String> found = find(argument.getValue(), steps, rejected);
            if (found.isPresent()) {
                return argument.getKey() + found.get();
            }
        }
        String rest = path.startsWith("$") ? path.substring(1) : path;
        return arguments.size() == 1 ? arguments.keySet().iterator().next() + rest : "arguments" + rest;
    }

    private static String step(MatchResult match) {
        return match.group(1) != null ? match.group(1) : match.group(2);
    }

    /** The path written as a caller would ({@code .sellerId}, {@code [2].closeTime}) if it leads to the value. */
    private static Optional<String> find(Object value, List<String> steps, Object rejected) {
        StringBuilder written = new StringBuilder();
        Object at = value;
        for (String step : steps) {
            if (at instanceof Map<?, ?> map && map.containsKey(step)) {
                at = map.get(step);
                written.append('.').append(step);
            }
            else if (at instanceof List<?> list && step.matches("\\d{1,9}") && Integer.parseInt(step) < list.size()) {
                at = list.get(Integer.parseInt(step));
                written.append('[').append(step).append(']');
            }
            else {
                return Optional.empty();
            }
        }
        return Objects.equals(at, rejected) ? Optional.of(written.toString()) : Optional.empty();
    }
}
