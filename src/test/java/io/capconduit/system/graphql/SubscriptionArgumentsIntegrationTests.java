package io.capconduit.system.graphql;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A subscription's argument that is no valid value ({@code id: "abc"}) is a BAD_REQUEST naming it, as for a query
 * ({@link ArgumentBindingErrors}), not an INTERNAL_ERROR saying "Subscription error".
 */
@IntegrationTest
class SubscriptionArgumentsIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    GraphQlTesters graphQl;

    @Test
    void anArgumentThatIsNoValidValueIsABadRequestNamingIt() {
        assertRefused("subscription ($v: ID!) { jobExecutionProgress(id: $v) { id } }", "abc", "id");
        assertRefused("subscription ($v: ID!) { leadImportProgress(executionId: $v) { executionId } }", "1x",
                "executionId");
        assertRefused("subscription ($v: ID) { callEvents(campaignId: $v) { kind } }", "99999999999999999999",
                "campaignId");
    }

    /** Spring reads a blank id as none: callEvents(campaignId: "") would stream every campaign's events. */
    @Test
    void aBlankIdIsABadRequestNamingIt() {
        for (String blank : List.of("", " ")) {
            assertRefused("subscription ($v: ID) { callEvents(campaignId: $v) { kind } }", blank, "campaignId",
                    "campaignId: must not be empty: an id names one object (leave the argument out for none)");
            assertRefused("subscription ($v: ID!) { leadImportProgress(executionId: $v) { executionId } }", blank,
                    "executionId", "executionId: must not be empty: an id names one object (leave the argument out "
                            + "for none)");
        }
    }

    private void assertRefused(String document, String value, String argument) {
        assertRefused(document, value, argument, argument + ": '" + value + "' is not a valid value");
    }

    private void assertRefused(String document, String value, String argument, String message) {
        WebSocketGraphQlTester socket = graphQl.webSocket("staff");
        try {
            SubscriptionErrorException refused = catchThrowableOfType(SubscriptionErrorException.class,
                    () -> socket.document(document).variable("v", value).executeSubscription().toFlux().blockFirst(WAIT));
            assertThat(refused).as(document).isNotNull();
            ResponseError error = refused.getErrors().get(0);
            assertThat(error.getExtensions()).as(document)
                    .containsAllEntriesOf(Map.of("classification", "BAD_REQUEST", "field", argument));
            assertThat(error.getMessage()).isEqualTo(message);
        }
        finally {
            socket.stop().block(WAIT);
        }
    }
}
