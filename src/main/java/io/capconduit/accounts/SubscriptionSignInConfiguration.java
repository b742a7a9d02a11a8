package io.capconduit.accounts;

import java.util.List;

import graphql.schema.DataFetcher;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchemaElement;
import graphql.schema.GraphQLTypeVisitorStub;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;

import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every field of the Subscription type ends with its sign-in ({@link SubscriptionSignIns}), those to come too. Its
 * fetcher is wrapped before Spring GraphQL's own decorator wraps it in turn, so the wrapper sees the request's
 * security context, and its refusal is classified by the subscription exception resolvers as any other.
 */
@Configuration(proxyBeanMethods = false)
class SubscriptionSignInConfiguration {

    @Bean
    GraphQlSourceBuilderCustomizer subscriptionsEndWithTheirSignIn(SubscriptionSignIns signIns) {
        return builder -> builder.typeVisitors(List.of(new GraphQLTypeVisitorStub() {
            @Override
            public TraversalControl visitGraphQLFieldDefinition(GraphQLFieldDefinition field,
                    TraverserContext<GraphQLSchemaElement> context) {
                if (context.getParentNode() instanceof GraphQLObjectType parent
                        && "Subscription".equals(parent.getName())) {
                    GraphQLCodeRegistry.Builder registry = context.getVarFromParents(GraphQLCodeRegistry.Builder.class);
                    DataFetcher<?> fetcher = registry.getDataFetcher(parent, field);
                    registry.dataFetcher(parent, field,
                            (DataFetcher<Object>) env -> signIns.whileSignedIn(fetcher.get(env)));
                }
                return TraversalControl.CONTINUE;
            }
        }));
    }
}
