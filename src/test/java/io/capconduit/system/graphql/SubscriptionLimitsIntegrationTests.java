package io.capconduit.system.graphql;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.capconduit.support.Eventually;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One user holds at most capconduit.graphql.max-subscriptions-per-user (20) subscriptions at once, over however many
 * sockets. Without a bound a seller could open thousands over one socket: each leadImportProgress subscription
 * re-reads its import at every chunk (several statements, up to four times a second), so five thousand of them
 * were tens of thousands of statements a second on the database Asterisk routes with.
 */
@IntegrationTest
class SubscriptionLimitsIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int LIMIT = 20;
    private static final String EVENTS = "subscription { callEvents { kind linkedId } }";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    private final List<WebSocketGraphQlTester> sockets = new ArrayList<>();
    private final List<Disposable> subscriptions = new ArrayList<>();

    record Event(String kind, String linkedId) {
    }

    @AfterEach
    void close() {
        subscriptions.forEach(Disposable::dispose);
        sockets.forEach(socket -> socket.stop().block(WAIT));
    }

    @Test
    void aUserHoldsAtMostTheLimitOfSubscriptionsOverAnySocketAndOneEndedFreesAPlace() {
        String user = newUser("STAFF");
        WebSocketGraphQlTester socket = socket(user);
        Set<Integer> live = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < LIMIT; i++) {
            int n = i;
            subscriptions.add(events(socket).subscribe(event -> live.add(n)));
        }
        Eventually.await("all " + LIMIT + " subscriptions live", WAIT, () -> {
            probe();
            return live.size() == LIMIT;
        });

        assertRefused(events(socket));
        assertRefused(events(socket(user)));
        assertLive(events(socket(newUser("STAFF"))));   // another user is not held back

        subscriptions.get(0).dispose();
        Eventually.await("a place freed by the ended subscription", WAIT, () -> {
            try {
                assertLive(events(socket));
                return true;
            }
            catch (SubscriptionErrorException refused) {
                return false;
            }
        });
    }

    /** Receives what is sent once it is subscribed (or throws what it ended with). */
    private void assertLive(Flux<Event> events) {
        Set<Event> seen = ConcurrentHashMap.newKeySet();
        Throwable[] failed = new Throwable[1];
        subscriptions.add(events.subscribe(seen::add, error -> failed[0] = error));
        Eventually.await("the subscription live", WAIT, () -> {
            if (failed[0] instanceof SubscriptionErrorException refused) {
                throw refused;
            }
            probe();
            return seen.stream().anyMatch(this::probed);
        });
    }

    private static void assertRefused(Flux<Event> events) {
        assertThatThrownBy(() -> events.blockFirst(WAIT))
                .isInstanceOfSatisfying(SubscriptionErrorException.class, ex -> assertThat(ex.getErrors())
                        .singleElement().satisfies(error -> assertThat(error.getExtensions())
                                .containsEntry("classification", "BAD_REQUEST")
                                .containsEntry("limit", "capconduit.graphql.max-subscriptions-per-user")
                                .containsEntry("max", LIMIT)));
    }

    private Flux<Event> events(WebSocketGraphQlTester socket) {
        return socket.document(EVENTS).executeSubscription().toFlux("callEvents", Event.class);
    }

    private boolean probed(Event event) {
        return event.linkedId() != null && event.linkedId().startsWith("probe-");
    }

    private WebSocketGraphQlTester socket(String username) {
        WebSocketGraphQlTester socket = graphQl.webSocket(headers -> headers.setBasicAuth(username, "limits-pass-1"));
        sockets.add(socket);
        return socket;
    }

    private String newUser(String role) {
        String username = "limits-" + UUID.randomUUID().toString().substring(0, 8);
        graphQl.as("admin").document("mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } } }")
                .variable("input", Map.of("username", username, "password", "limits-pass-1", "role", role))
                .execute().path("createUser.user.id").hasValue();
        return username;
    }

    /** A dialer event of a campaign, as the outbound queue's trigger sends it. */
    private void probe() {
        jdbc.queryForList("SELECT pg_notify('capconduit_call_events', json_build_object('s', 'QUEUE', 'uid', ?::text, "
                + "'campaign', (SELECT min(id) FROM campaigns), 'status', 'DIALING', 'at', now())::text)",
                "probe-" + UUID.randomUUID());
    }
}
