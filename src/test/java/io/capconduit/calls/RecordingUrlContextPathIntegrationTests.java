package io.capconduit.calls;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.UUID;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application served under a context path (server.servlet.context-path): a recording's URL, as GraphQL hands it
 * out (Recording.url, OutboundRecording.url), carries that path, and a client that fetches it gets the file.
 */
@IntegrationTest
@TestPropertySource(properties = "server.servlet.context-path=/capconduit")
class RecordingUrlContextPathIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    RecordingsProperties properties;

    @Test
    void aRecordingsUrlCarriesTheContextPathAndPlays() throws Exception {
        String name = "cc-" + UUID.randomUUID() + ".wav";
        byte[] audio = name.getBytes(StandardCharsets.UTF_8);
        Files.write(Files.createDirectories(properties.folder()).resolve(name), audio);
        long log = RecordedCallLogs.callLog(jdbc, "Auto Insurance", "OUTBOUND");
        long id = RecordedCallLogs.recording(jdbc, log, name);

        String url = graphQl.as("seller1").document("query ($id: ID!) { callLog(id: $id) { recordings { url } } }")
                .variable("id", log).execute().path("callLog.recordings[0].url").entity(String.class).get();

        assertThat(url).isEqualTo("/capconduit/api/recordings/" + id);
        graphQl.as("staff").document("{ outboundRecordings(first: 500) { recordingId url } }").execute()
                .path("outboundRecordings[?(@.recordingId == '" + id + "')].url").entityList(String.class)
                .containsExactly(url);
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(graphQl.origin() + url)).header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString("seller1:demo".getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(audio);
    }
}
