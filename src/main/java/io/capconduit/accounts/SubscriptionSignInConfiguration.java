package io.capconduit.accounts;

import io.capconduit.system.graphql.SubscriptionFields;

import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every field of the Subscription type ends with its sign-in ({@link SubscriptionSignIns}), those to come too: its
 * refusal is classified by the subscription exception resolvers as any other ({@link SubscriptionFields}).
 */
@Configuration(proxyBeanMethods = false)
class SubscriptionSignInConfiguration {

    @Bean
    GraphQlSourceBuilderCustomizer subscriptionsEndWithTheirSignIn(SubscriptionSignIns signIns) {
        return SubscriptionFields.wrapping(signIns::whileSignedIn);
    }
}
