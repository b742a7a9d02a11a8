package io.capconduit.accounts;

import java.nio.charset.StandardCharsets;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a page on another site can make a signed-in browser send: a form post (urlencoded, multipart or
 * text/plain) carrying the session cookie or cached Basic credentials, but never an {@code Authorization:
 * Bearer} header nor a JSON body.
 */
@IntegrationTest
class CrossSiteRequestIntegrationTests {

    private static final String EVIL_ORIGIN = "https://evil.example";

    @Autowired
    GraphQlTesters graphQl;

    @Test
    void aCrossSiteUploadWithTheSessionCookieIsRefused() {
        String session = BrowserSessions.signIn(graphQl.baseUrl(), "staff", "demo");

        upload(client().defaultHeader(HttpHeaders.COOKIE, "JSESSIONID=" + session), "/api/dnc/import")
                .expectStatus().isForbidden();
        upload(client().defaultHeader(HttpHeaders.COOKIE, "JSESSIONID=" + session), "/api/leads/import?listId=1")
                .expectStatus().isForbidden();
    }

    @Test
    void anUploadWithBasicCredentialsAloneIsRefusedForBrowsersCacheThem() {
        upload(client().defaultHeaders(h -> h.setBasicAuth("staff", "demo")), "/api/dnc/import")
                .expectStatus().isForbidden();
    }

    @Test
    void anUploadWithAnApiTokenNeedsNoCsrfToken() {
        String token = graphQl.apiToken("staff");
        // no such list: the request got past the CSRF check to the service, and started no import
        upload(client().defaultHeaders(h -> h.setBearerAuth(token)), "/api/leads/import?listId=987654321")
                .expectStatus().isNotFound();
    }

    @Test
    void graphqlTakesNoBodyACrossSiteFormCanSend() {
        String session = BrowserSessions.signIn(graphQl.baseUrl(), "admin", "demo");
        for (MediaType type : new MediaType[] { MediaType.TEXT_PLAIN, MediaType.APPLICATION_FORM_URLENCODED }) {
            client().defaultHeader(HttpHeaders.COOKIE, "JSESSIONID=" + session).build().post().uri("/graphql")
                    .contentType(type).bodyValue("{\"query\":\"mutation { createApiToken(input: {name: \\\"x\\\"}) "
                            + "{ token } }\"}")
                    .exchange().expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        }
        client().defaultHeader(HttpHeaders.COOKIE, "JSESSIONID=" + session).build().get()
                .uri("/graphql?query={me{username}}").exchange().expectStatus().is4xxClientError();
    }

    @Test
    void theSessionCookieIsNotSentWithCrossSitePosts() {
        EntityExchangeResult<String> login = loginPage();
        assertThat(login.getResponseHeaders().get(HttpHeaders.SET_COOKIE)).anySatisfy(
                cookie -> assertThat(cookie).startsWith("JSESSIONID=").containsIgnoringCase("SameSite=Lax"));
    }

    private EntityExchangeResult<String> loginPage() {
        return BrowserSessions.loginPage(graphQl.baseUrl());
    }

    private static WebTestClient.ResponseSpec upload(WebTestClient.Builder client, String uri) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", new ByteArrayResource("Phone\n2065550166\n".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public String getFilename() {
                return "dnc.csv";
            }
        }).contentType(MediaType.TEXT_PLAIN);
        return client.defaultHeader(HttpHeaders.ORIGIN, EVIL_ORIGIN).build().post().uri(uri)
                .contentType(MediaType.MULTIPART_FORM_DATA).body(BodyInserters.fromMultipartData(body.build()))
                .exchange();
    }

    private WebTestClient.Builder client() {
        return WebTestClient.bindToServer(new JdkClientHttpConnector()).baseUrl(graphQl.baseUrl());
    }
}
