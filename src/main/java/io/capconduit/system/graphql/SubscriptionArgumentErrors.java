package io.capconduit.system.graphql;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.BindException;

/**
 * A subscription's argument that cannot be converted (jobExecutionProgress(id: "abc")) is a BAD_REQUEST naming it, as
 * for a query ({@link ArgumentBindingErrors}). Spring GraphQL hands a subscription's binding failure to the
 * subscription exception resolvers, which see no arguments to name it by, so it is named here, where they are known.
 */
@Configuration(proxyBeanMethods = false)
class SubscriptionArgumentErrors {

    @Bean
    GraphQlSourceBuilderCustomizer subscriptionArgumentsNamed() {
        return SubscriptionFields.wrapping((result, env) -> result instanceof Publisher<?> events
                ? Flux.from(events).onErrorMap(BindException.class,
                        bind -> ArgumentBindingErrors.invalid(bind, env.getArguments()))
                : result);
    }
}
