package io.capconduit.system.graphql;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** GraphiQL in a real headless Chromium: the page loads from the application alone, runs a query, shows the result. */
@IntegrationTest
class GraphiQlBrowserIntegrationTests {

    @Autowired
    GraphQlTesters graphQl;

    @Test
    void graphiqlRunsAQueryAgainstTheDemoData() throws Exception {
        try (DevToolsBrowser browser = DevToolsBrowser.start()) {
            openAsStaff(browser);

            assertThat(browser.evaluate("String([...document.scripts, ...document.querySelectorAll('link')]"
                    + ".every(e => !(e.src || e.href) || (e.src || e.href).startsWith(location.origin)))"))
                    .as("every script and stylesheet comes from the application itself").isEqualTo("true");

            browser.evaluate("document.getElementById('query').value = "
                    + "'{ campaigns { name seller { name } settings { client { name } } } }'; "
                    + "document.getElementById('run').click(); 'ok'");
            browser.waitFor("document.getElementById('result').textContent.includes('\"campaigns\"')", Duration.ofSeconds(30));
            String result = browser.evaluate("document.getElementById('result').textContent");
            assertThat(result).contains("Auto Insurance").contains("Sunrise Insurance Call Center").doesNotContain("errors");
            browser.waitFor("document.getElementById('docsBody').textContent.includes('CampaignClientSetting')",
                    Duration.ofSeconds(30));
        }
    }

    /** A subscription runs over the page's own WebSocket, with the signed-in user, and shows each event. */
    @Test
    void graphiqlFollowsAJobOverAWebSocketToItsEnd() throws Exception {
        String id = graphQl.as("staff").document("mutation { runJob(name: \"capResetJob\") { id } }").execute()
                .path("runJob.id").entity(String.class).get();
        try (DevToolsBrowser browser = DevToolsBrowser.start()) {
            openAsStaff(browser);

            browser.evaluate("document.getElementById('query').value = "
                    + "'subscription { jobExecutionProgress(id: " + id + ") { id status } }'; "
                    + "document.getElementById('run').click(); 'ok'");
            browser.waitFor("document.getElementById('status').textContent.startsWith('completed')", Duration.ofSeconds(30));
            String result = browser.evaluate("document.getElementById('result').textContent");
            assertThat(result).contains("\"jobExecutionProgress\"").contains("COMPLETED").doesNotContain("errors");
        }
    }

    /** What this browser keeps: a query for next time; no mutation text (passwords, secrets), no lasting token. */
    @Test
    void graphiqlRemembersQueriesButNotMutationsAndKeepsTheTokenForTheTabOnly() throws Exception {
        try (DevToolsBrowser browser = DevToolsBrowser.start()) {
            openAsStaff(browser);

            run(browser, "{ me { username } }", "\"me\"");
            assertThat(browser.evaluate("localStorage.getItem('cc.query')")).isEqualTo("{ me { username } }");

            run(browser, "# rotate\nmutation { changeMyPassword(input: {currentPassword: \"wrong-password\", "
                    + "newPassword: \"new-secret-password\"}) { changed } }", "errors");
            assertThat(browser.evaluate("localStorage.getItem('cc.query')")).isEqualTo("{ me { username } }");

            // (the test's Basic header wins over the page's bearer one: only what the page keeps matters here)
            browser.evaluate("document.getElementById('token').value = 'cc_not-a-real-token'; 'ok'");
            run(browser, "{ me { username } }", "");
            assertThat(browser.evaluate("String(localStorage.getItem('cc.token'))")).isEqualTo("null");
            assertThat(browser.evaluate("sessionStorage.getItem('cc.token')")).isEqualTo("cc_not-a-real-token");
            assertThat(browser.evaluate("JSON.stringify(Object.keys(localStorage))")).doesNotContain("token");
        }
    }

    private static void run(DevToolsBrowser browser, String document, String expected) throws Exception {
        browser.evaluate("document.getElementById('result').textContent = ''; document.getElementById('query').value = "
                + "'" + document.replace("\n", "\\n").replace("'", "\\'") + "'; document.getElementById('run').click(); 'ok'");
        browser.waitFor("document.getElementById('status').textContent !== 'running...' && "
                + "document.getElementById('result').textContent.includes('" + expected.replace("'", "\\'") + "')",
                Duration.ofSeconds(30));
    }

    /** GraphiQL loaded in {@code browser}, signed in as the demo's staff user. */
    private void openAsStaff(DevToolsBrowser browser) throws Exception {
        String basic = Base64.getEncoder().encodeToString("staff:demo".getBytes(StandardCharsets.UTF_8));
        browser.send("Network.enable", Map.of());
        browser.send("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", "Basic " + basic)));
        browser.send("Page.navigate", Map.of("url", graphQl.baseUrl() + "/graphiql"));
        browser.waitFor("document.getElementById('run') !== null && document.readyState === 'complete'",
                Duration.ofSeconds(30));
    }
}
