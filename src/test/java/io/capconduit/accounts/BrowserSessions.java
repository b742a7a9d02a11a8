package io.capconduit.accounts;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/** Signing in the way a person does, through the login form, as a browser keeps its session. */
final class BrowserSessions {

    private BrowserSessions() {
    }

    /** Signs in through the login form and answers the session id (the JSESSIONID cookie). */
    static String signIn(String baseUrl, String username, String password) {
        ResponseCookie session = postLogin(baseUrl, username, password)
                .expectStatus().is3xxRedirection()
                .expectHeader().value(HttpHeaders.LOCATION, location -> assertThat(location).doesNotContain("error"))
                .returnResult(Void.class).getResponseCookies().getFirst("JSESSIONID");
        return session.getValue();
    }

    /** Posts the login form, with the session and CSRF token of a fresh login page. */
    static WebTestClient.ResponseSpec postLogin(String baseUrl, String username, String password) {
        EntityExchangeResult<String> page = loginPage(baseUrl);
        Matcher csrf = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"")
                .matcher(page.getResponseBody());
        assertThat(csrf.find()).as("the login page has a CSRF token").isTrue();
        var form = new LinkedMultiValueMap<String, String>();
        form.add("username", username);
        form.add("password", password);
        form.add("_csrf", csrf.group(1));
        return client(baseUrl).post().uri("/login")
                .cookie("JSESSIONID", page.getResponseCookies().getFirst("JSESSIONID").getValue())
                .body(BodyInserters.fromFormData(form)).exchange();
    }

    static EntityExchangeResult<String> loginPage(String baseUrl) {
        return client(baseUrl).get().uri("/login").exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult();
    }

    private static WebTestClient client(String baseUrl) {
        return WebTestClient.bindToServer(new JdkClientHttpConnector()).baseUrl(baseUrl).build();
    }
}
