package io.capconduit.system.graphql;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * One user holds at most {@code capconduit.graphql.max-subscriptions-per-user} subscriptions at once on this app
 * instance, over however many sockets; one more is a BAD_REQUEST naming the limit, and one that ends (completed,
 * failed or unsubscribed) frees its place. Without a bound one signed-in user could open thousands over one socket,
 * each of which re-reads what it follows at every change, on the database Asterisk routes with.
 */
@Configuration(proxyBeanMethods = false)
class SubscriptionLimitsConfiguration {

    static final String LIMIT = "capconduit.graphql.max-subscriptions-per-user";

    /** A subscription over the limit: classified by {@link SubscriptionErrorClassification}. */
    static final class TooManySubscriptionsException extends RuntimeException {

        final int max;

        TooManySubscriptionsException(int max) {
            super("At most " + max + " subscriptions of one user at once: end one first (" + LIMIT + ")");
            this.max = max;
        }
    }

    @Bean
    GraphQlSourceBuilderCustomizer subscriptionsPerUser(GraphQlLimitsProperties limits) {
        Counts counts = new Counts(limits.maxSubscriptionsPerUser());
        return SubscriptionFields.wrapping(counts::limit);
    }

    /** Subscriptions held now, by user name. */
    private static final class Counts {

        private final int max;
        private final Map<String, Integer> held = new ConcurrentHashMap<>();

        Counts(int max) {
            this.max = max;
        }

        /** The events, holding a place of the request's user from when they are subscribed to until they end. */
        Object limit(Object result) {
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            if (!(result instanceof Publisher<?> events) || authentication == null) {
                return result;
            }
            String user = authentication.getName();
            return Flux.using(() -> take(user), place -> Flux.from(events), place -> give(user));
        }

        private String take(String user) {
            boolean[] taken = {false};
            held.compute(user, (name, count) -> {
                int now = count == null ? 0 : count;
                if (now >= max) {
                    return count;
                }
                taken[0] = true;
                return now + 1;
            });
            if (!taken[0]) {
                throw new TooManySubscriptionsException(max);
            }
            return user;
        }

        private void give(String user) {
            held.computeIfPresent(user, (name, count) -> count <= 1 ? null : count - 1);
        }
    }
}
