package io.capconduit.system.graphql;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchemaElement;
import graphql.schema.GraphQLTypeVisitorStub;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;

import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;

/**
 * What every field of the Subscription type goes through, those to come too. A field's fetcher is wrapped before
 * Spring GraphQL's own decorator wraps it in turn, so the wrapper runs with the request's security context, and an
 * exception it throws is classified by the subscription exception resolvers as any other.
 */
public final class SubscriptionFields {

    private SubscriptionFields() {
    }

    /** Applies {@code around} to what each Subscription field's fetcher returns (a subscription's publisher). */
    public static GraphQlSourceBuilderCustomizer wrapping(UnaryOperator<Object> around) {
        return wrapping((result, env) -> around.apply(result));
    }

    /** As {@link #wrapping(UnaryOperator)}, for a wrapper that reads the field's arguments. */
    static GraphQlSourceBuilderCustomizer wrapping(BiFunction<Object, DataFetchingEnvironment, Object> around) {
        return builder -> builder.typeVisitors(List.of(new GraphQLTypeVisitorStub() {
            @Override
            public TraversalControl visitGraphQLFieldDefinition(GraphQLFieldDefinition field,
                    TraverserContext<GraphQLSchemaElement> context) {
                if (context.getParentNode() instanceof GraphQLObjectType parent
                        && "Subscription".equals(parent.getName())) {
                    GraphQLCodeRegistry.Builder registry = context.getVarFromParents(GraphQLCodeRegistry.Builder.class);
                    DataFetcher<?> fetcher = registry.getDataFetcher(parent, field);
                    registry.dataFetcher(parent, field, (DataFetcher<Object>) env -> around.apply(fetcher.get(env), env));
                }
                return TraversalControl.CONTINUE;
            }
        }));
    }
}
