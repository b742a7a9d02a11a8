package io.capconduit.support;

import java.time.Duration;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.core.env.Environment;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

/** GraphQL over real HTTP to the running server, signed in as one of the demo users (password "demo"). */
@TestConfiguration(proxyBeanMethods = false)
public class GraphQlTesters {

    private final Environment environment;

    GraphQlTesters(Environment environment) {
        this.environment = environment;
    }

    public HttpGraphQlTester as(String username) {
        return as(username, "demo");
    }

    public HttpGraphQlTester as(String username, String password) {
        return HttpGraphQlTester.builder(client().defaultHeaders(h -> h.setBasicAuth(username, password))).build();
    }

    /** A fresh API token of a demo user, for the doors that take no Basic credentials without a CSRF token. */
    public String apiToken(String username) {
        return as(username).document("mutation { createApiToken(input: {name: \"test\", expiresInDays: 1}) { token } }")
                .execute().path("createApiToken.token").entity(String.class).get();
    }

    public HttpGraphQlTester anonymous() {
        return HttpGraphQlTester.builder(client()).build();
    }

    public WebTestClient.Builder client() {
        return WebTestClient.bindToServer(new JdkClientHttpConnector())
                .baseUrl(baseUrl() + "/graphql")
                .responseTimeout(Duration.ofSeconds(30));
    }

    public String baseUrl() {
        return "http://localhost:" + environment.getProperty("local.server.port");
    }
}
