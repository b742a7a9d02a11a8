package io.capconduit.system.graphql;

import java.util.List;
import java.util.Map;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A POST to /graphql whose body is no GraphQL request gets a GraphQL error body (BAD_REQUEST naming the member at
 * fault) with its 400, whatever the client accepts, not Spring's bare 400; a well-formed one is answered as before.
 */
@IntegrationTest
class MalformedRequestsIntegrationTests {

    private static final String QUERY = "\"query\": \"query Me { me { username } }\"";
    private static final List<MediaType> ACCEPTED = List.of(MediaType.APPLICATION_JSON,
            MediaType.parseMediaType("application/graphql-response+json"), MediaType.TEXT_EVENT_STREAM);

    @Autowired
    GraphQlTesters graphQl;

    @Test
    void aMemberOfTheWrongJsonTypeIsABadRequestNamingIt() {
        for (String variables : List.of("\"x\"", "[1]", "5", "true")) {
            assertRefused("{" + QUERY + ", \"variables\": " + variables + "}", "variables", "must be a JSON object");
        }
        assertRefused("{\"query\": {\"a\": 1}}", "query", "must be the GraphQL document");
        assertRefused("{\"query\": \"\"}", "query", "must be the GraphQL document");
        assertRefused("{\"variables\": {}}", "query", "must be the GraphQL document");
        assertRefused("{" + QUERY + ", \"operationName\": {\"a\": 1}}", "operationName", "must be a string");
        assertRefused("{" + QUERY + ", \"extensions\": \"x\"}", "extensions", "must be a JSON object");
    }

    @Test
    void aBodyThatIsNoJsonObjectIsABadRequestSayingWhatIsExpected() {
        for (String body : List.of("not json", "[]", "null", "\"x\"", "{\"query\": ", "")) {
            assertRefused(body, null, "The request body is no GraphQL request");
        }
    }

    @Test
    void wellFormedRequestsAreAnsweredAsBefore() {
        for (String rest : List.of("", ", \"variables\": null, \"operationName\": null, \"extensions\": null",
                ", \"variables\": {}, \"operationName\": \"Me\", \"extensions\": {}")) {
            staff().post().contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON)
                    .bodyValue("{" + QUERY + rest + "}").exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.data.me.username").isEqualTo("staff").jsonPath("$.errors").doesNotExist();
        }
    }

    @SuppressWarnings("unchecked")
    private void assertRefused(String body, String field, String message) {
        for (MediaType accept : ACCEPTED) {
            EntityExchangeResult<byte[]> answer = staff().post().contentType(MediaType.APPLICATION_JSON).accept(accept)
                    .bodyValue(body).exchange().expectBody().returnResult();
            String as = body + " (Accept: " + accept + ")";
            assertThat(answer.getStatus().value()).as(as).isEqualTo(400);
            Map<String, Object> response = JsonMapper.builder().build().readValue(answer.getResponseBody(), Map.class);
            List<Map<String, Object>> errors = (List<Map<String, Object>>) response.get("errors");
            assertThat(errors).as(as).hasSize(1);
            assertThat((String) errors.get(0).get("message")).as(as).contains(message);
            Map<String, Object> extensions = (Map<String, Object>) errors.get(0).get("extensions");
            assertThat(extensions).as(as).containsEntry("classification", "BAD_REQUEST");
            assertThat(extensions.get("field")).as(as).isEqualTo(field);
        }
    }

    private WebTestClient staff() {
        return graphQl.client().defaultHeaders(headers -> headers.setBasicAuth("staff", "demo")).build();
    }
}
