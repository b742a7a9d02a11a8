package io.capconduit.leads;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reject report streams after its handler returned, and the request is dispatched once more when the stream
 * ends. Signed in with an API token, that second dispatch was anonymous: the client got its file, and the log three
 * ERRORs with stack traces (Access Denied, a response already committed) for every download.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class LeadImportRejectsByTokenIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LeadImportLauncher launcher;

    @Autowired
    GraphQlTesters graphQl;

    @TempDir
    Path folder;

    @Test
    void aRejectsDownloadWithAnApiTokenIsServedWithoutAnAccessDenialLogged(CapturedOutput output) throws Exception {
        long listId = new LeadImportFixtures(jdbc, launcher, folder).newList("Acme Leads", "US");
        WebTestClient client = WebTestClient.bindToServer(new JdkClientHttpConnector()).baseUrl(graphQl.baseUrl())
                .defaultHeaders(h -> h.setBearerAuth(graphQl.apiToken("seller1"))).build();
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", new ByteArrayResource("Phone\n2065550101\nnope\n".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public String getFilename() {
                return "leads.csv";
            }
        }).contentType(MediaType.TEXT_PLAIN);
        Map<String, Object> started = client.post().uri("/api/leads/import?listId=" + listId)
                .contentType(MediaType.MULTIPART_FORM_DATA).body(BodyInserters.fromMultipartData(body.build()))
                .exchange().expectStatus().isAccepted()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        long executionId = ((Number) started.get("executionId")).longValue();
        launcher.await(launcher.execution(executionId));

        for (String format : new String[] { "csv", "xlsx" }) {
            byte[] file = client.get().uri("/api/leads/import/" + executionId + "/rejects." + format).exchange()
                    .expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
            assertThat(file).isNotEmpty();
        }
        // the second dispatch runs before the streamed (chunked) body's last chunk is sent
        assertThat(output.getAll()).doesNotContain("AuthorizationDeniedException")
                .doesNotContain("Unable to handle the Spring Security Exception");
    }
}
