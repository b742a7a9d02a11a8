package io.capconduit.support;

import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.core.env.Environment;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.client.StandardWebSocketClient;

/**
 * GraphQL over real HTTP, or over a WebSocket (subscriptions), to the running server, signed in as one of the demo
 * users (password "demo").
 */
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

    /** Subscriptions: a WebSocket opened with the user's Basic credentials; {@code stop()} it when done. */
    public WebSocketGraphQlTester webSocket(String username) {
        return webSocket(headers -> headers.setBasicAuth(username, "demo"));
    }

    /** Subscriptions over a WebSocket opened with these handshake headers only (none: anonymous). */
    public WebSocketGraphQlTester webSocket(Consumer<HttpHeaders> handshakeHeaders) {
        return WebSocketGraphQlTester.builder(URI.create(baseUrl().replace("http:", "ws:") + "/graphql"),
                new StandardWebSocketClient()).headers(handshakeHeaders).build();
    }

    public WebTestClient.Builder client() {
        return WebTestClient.bindToServer(new JdkClientHttpConnector())
                .baseUrl(baseUrl() + "/graphql")
                .responseTimeout(Duration.ofSeconds(30));
    }

    /** The running application: the server and the context path it is served at, if any. */
    public String baseUrl() {
        return origin() + environment.getProperty("server.servlet.context-path", "");
    }

    /** The server alone, for a path that carries the context path already (a URL the API handed out). */
    public String origin() {
        return "http://localhost:" + environment.getProperty("local.server.port");
    }
}
