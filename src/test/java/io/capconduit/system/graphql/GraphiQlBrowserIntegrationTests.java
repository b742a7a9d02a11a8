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
            String basic = Base64.getEncoder().encodeToString("staff:demo".getBytes(StandardCharsets.UTF_8));
            browser.send("Network.enable", Map.of());
            browser.send("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", "Basic " + basic)));
            browser.send("Page.navigate", Map.of("url", graphQl.baseUrl() + "/graphiql"));
            browser.waitFor("document.getElementById('run') !== null && document.readyState === 'complete'",
                    Duration.ofSeconds(30));

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
}
