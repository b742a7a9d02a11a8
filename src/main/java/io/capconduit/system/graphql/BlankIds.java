package io.capconduit.system.graphql;

import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLObjectType;
import io.capconduit.system.InvalidInputException;
import reactor.core.publisher.Flux;

import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An ID argument that is empty or blank ({@code callEvents(campaignId: "")}, {@code filter: {sellerId: " "}}) is a
 * BAD_REQUEST naming it. Spring's binding reads a blank string as no number at all, so without this check a filter
 * given {@code ""} silently became no filter (every campaign's events, every seller's call logs) and a create
 * silently dropped the reference. A subscription gets the refusal as its stream's error, as its other argument
 * errors ({@link SubscriptionArgumentErrors}).
 */
@Configuration(proxyBeanMethods = false)
class BlankIds {

    @Bean
    Instrumentation blankIdsRefused() {
        return new Instrumentation() {
            @Override
            public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher,
                    InstrumentationFieldFetchParameters parameters, InstrumentationState state) {
                if (parameters.isTrivialDataFetcher() || parameters.getField().getArguments().isEmpty()) {
                    return dataFetcher;
                }
                return env -> {
                    InvalidInputException blank = isSubscription(env) ? null : blank(env);
                    if (blank != null) {
                        throw blank;
                    }
                    return dataFetcher.get(env);
                };
            }
        };
    }

    @Bean
    GraphQlSourceBuilderCustomizer blankSubscriptionIdsRefused() {
        return SubscriptionFields.wrapping((result, env) -> {
            InvalidInputException blank = blank(env);
            return blank == null ? result : Flux.error(blank);
        });
    }

    private static boolean isSubscription(DataFetchingEnvironment env) {
        GraphQLObjectType subscription = env.getGraphQLSchema().getSubscriptionType();
        return subscription != null && subscription.getName().equals(env.getParentType() instanceof GraphQLObjectType
                parent ? parent.getName() : null);
    }

    /** The refusal of the field's first blank ID argument, by its path ({@code input.campaignIds[0]}), or null. */
    private static InvalidInputException blank(DataFetchingEnvironment env) {
        for (GraphQLArgument argument : env.getFieldDefinition().getArguments()) {
            String name = argument.getName();
            InvalidInputException blank = blank(name, argument.getType(), env.getArguments().get(name));
            if (blank != null) {
                return blank;
            }
        }
        return null;
    }

    private static InvalidInputException blank(String path, GraphQLInputType type, Object value) {
        InputValues.Refused blank = InputValues.firstRefused(path, type, value, (scalar, given) -> "ID".equals(scalar.getName())
                && given instanceof String id && id.isBlank());
        return blank == null ? null : new InvalidInputException(blank.path(), "must not be empty: an id names one object "
                + "(leave the argument out for none)");
    }
}
