package io.capconduit.system.graphql;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.capconduit.support.Eventually;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscription sent as a plain JSON POST (curl, a script copying the README's examples) has no stream to
 * answer on: it is told where subscriptions run instead of getting the unsubscribed publisher serialised as
 * its data. Server-sent events (Accept: text/event-stream) and the WebSocket still run it.
 */
@IntegrationTest
class PlainHttpSubscriptionIntegrationTests {

    private static final String SUBSCRIPTION = "{\"query\": \"subscription { jobExecutionProgress(id: %s) { status } }\"}";

    @Autowired
    GraphQlTesters testers;

    @Test
    void aSubscriptionPostedAsPlainJsonIsABadRequestSayingWhereSubscriptionsRun() {
        staff().post().contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON)
                .bodyValue(SUBSCRIPTION.formatted(completedExecution())).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.data.upstreamPublisher").doesNotExist()
                .jsonPath("$.errors[0].extensions.classification").isEqualTo("BAD_REQUEST")
                .jsonPath("$.errors[0].message").value(String.class,
                        message -> assertThat(message).contains("WebSocket").contains("text/event-stream"));
    }

    @Test
    void asServerSentEventsTheSubscriptionStillRuns() {
        String events = staff().post().contentType(MediaType.APPLICATION_JSON).accept(MediaType.TEXT_EVENT_STREAM)
                .bodyValue(SUBSCRIPTION.formatted(completedExecution())).exchange()
                .expectStatus().isOk()
                .returnResult(String.class).getResponseBody().collectList().block(Duration.ofSeconds(30))
                .toString();

        assertThat(events).contains("COMPLETED").doesNotContain("errors");
    }

    private WebTestClient staff() {
        return testers.client().defaultHeaders(headers -> headers.setBasicAuth("staff", "demo")).build();
    }

    /** A cap reset run to its end: its progress is one state, then the subscription completes. */
    private String completedExecution() {
        String id = testers.as("staff").document("mutation { runJob(name: \"capResetJob\") { id } }").execute()
                .path("runJob.id").entity(String.class).get();
        Eventually.await("cap reset " + id + " completed", Duration.ofSeconds(60), () -> "COMPLETED".equals(
                testers.as("staff").document("{ batchJobExecution(id: " + id + ") { status } }").execute()
                        .path("batchJobExecution.status").entity(String.class).get()));
        return id;
    }
}
