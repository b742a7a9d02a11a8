package io.capconduit.calls;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import io.capconduit.system.InvalidInputException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/recordings/{id}} streams a recording from the recordings folder (real files in the test's own
 * folder): whole or by Range, to staff and to the seller of its call log only, and never a file outside the folder
 * whatever name the CDR gave it.
 */
@IntegrationTest
class RecordingDownloadIntegrationTests {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    RecordingsProperties properties;

    Path folder;
    /** Bytes 0..255 over and over: any slice of it tells where it came from. */
    byte[] audio;
    String name;

    @BeforeEach
    void folder() throws IOException {
        folder = Files.createDirectories(properties.folder());
        audio = new byte[10_000];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (byte) i;
        }
        name = "cc-" + UUID.randomUUID() + ".wav";
        Files.write(folder.resolve(name), audio);
    }

    @Test
    void staffGetsTheWholeFileWithItsTypeLengthAndName() throws Exception {
        long id = recording(callLog("Auto Insurance"), name);

        HttpResponse<byte[]> response = get("staff", id, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(audio);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("audio/wav");
        assertThat(response.headers().firstValue("Content-Length")).hasValue("10000");
        assertThat(response.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue("inline; filename=\"" + name + "\"");
    }

    @Test
    void aRangeRequestGetsThatPartForAPlayerToSeek() throws Exception {
        long id = recording(callLog("Auto Insurance"), name);

        HttpResponse<byte[]> response = get("admin", id, "bytes=1000-1999");

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(audio, 1000, 2000));
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/10000");
        assertThat(response.headers().firstValue("Content-Length")).hasValue("1000");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("audio/wav");

        HttpResponse<byte[]> tail = get("admin", id, "bytes=-10");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(audio, 9990, 10_000));
        assertThat(get("admin", id, "bytes=20000-").statusCode()).isEqualTo(416);
    }

    @Test
    void aSellerGetsItsOwnCallsRecordingsAndAnotherSellersAreNotFound() throws Exception {
        long own = recording(callLog("Auto Insurance"), name);
        long theirs = recording(callLog("Solar Savings"), name);
        long unlinked = jdbc.queryForObject("INSERT INTO recordings (linked_id, file_name) VALUES (?, ?) RETURNING id",
                Long.class, "unlinked-" + UUID.randomUUID(), name);

        assertThat(get("seller1", own, null).body()).isEqualTo(audio);
        assertThat(get("seller2", theirs, null).body()).isEqualTo(audio);
        for (long id : new long[] { theirs, unlinked, Long.MAX_VALUE }) {
            HttpResponse<byte[]> refused = get("seller1", id, null);
            // exactly as an id of nothing: another seller's ids cannot be probed
            assertThat(refused.statusCode()).isEqualTo(404);
            assertThat(message(refused)).isEqualTo("Recording " + id + " not found");
        }
        assertThat(get("staff", unlinked, null).statusCode()).isEqualTo(200);
        assertThat(get(null, own, null).statusCode()).isEqualTo(401);
    }

    @Test
    void aNameLeadingOutOfTheFolderIsRefusedAndNothingOutsideIsSent() throws Exception {
        byte[] secret = ("outside the recordings folder " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        Path outside = Files.write(folder.getParent().resolve("outside-" + UUID.randomUUID() + ".wav"), secret);
        Path link = Files.createSymbolicLink(folder.resolve("link-" + UUID.randomUUID() + ".wav"), outside);
        Files.createDirectories(folder.resolve("sub"));
        long log = callLog("Auto Insurance");

        for (String stored : new String[] { "../" + outside.getFileName(), outside.toString(), "/etc/passwd",
                link.getFileName().toString(), "sub/../../" + outside.getFileName(), "..", "" }) {
            long id = recording(log, stored);
            for (String user : new String[] { "admin", "staff", "seller1" }) {
                HttpResponse<byte[]> refused = get(user, id, null);
                assertThat(refused.statusCode()).as(stored + " as " + user).isEqualTo(403);
                assertThat(message(refused)).isEqualTo("Recording " + id + " is refused: its file name '"
                        + InvalidInputException.shown(stored)
                        + "' (the CDR's recording_file) leads out of the recordings folder");
            }
        }
        // a folder inside is no recording
        assertThat(get("staff", recording(log, "sub"), null).statusCode()).isEqualTo(404);
        // a link that stays inside the folder is followed: the check is where a name leads, not its spelling
        Path inner = Files.createSymbolicLink(folder.resolve("inner-" + UUID.randomUUID() + ".wav"),
                folder.resolve(name));
        assertThat(get("staff", recording(log, "sub/../" + inner.getFileName()), null).body()).isEqualTo(audio);
    }

    @Test
    void aMissingFileIsNotFoundNamingTheFolderToStaffOnly() throws Exception {
        long id = recording(callLog("Auto Insurance"), "cc-never-written.wav");

        HttpResponse<byte[]> staff = get("staff", id, null);
        HttpResponse<byte[]> seller = get("seller1", id, null);

        assertThat(staff.statusCode()).isEqualTo(404);
        assertThat(message(staff)).isEqualTo("Recording " + id + " (cc-never-written.wav) is not in the recordings "
                + "folder " + folder.toAbsolutePath().normalize() + " (capconduit.recordings.folder)");
        assertThat(seller.statusCode()).isEqualTo(404);
        assertThat(message(seller)).isEqualTo("Recording " + id + " (cc-never-written.wav) is not in the recordings "
                + "folder");
    }

    @Test
    void anIdThatIsNoNumberIsABadRequest() throws Exception {
        HttpResponse<byte[]> response = HTTP.send(request("staff", "/api/recordings/abc").build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readValue(response.body(), Map.class)).isEqualTo(Map.of("field", "id", "message",
                "must be a whole number"));
    }

    @Test
    void theGraphQlRecordingsLinkToTheFile() throws Exception {
        long log = callLog("Auto Insurance");
        long id = recording(log, name);
        jdbc.update("UPDATE call_logs SET direction = 'OUTBOUND' WHERE id = ?", log);

        String url = graphQl.as("seller1").document("query ($id: ID!) { callLog(id: $id) { recordings { id fileName "
                + "url } } }").variable("id", log).execute()
                .path("callLog.recordings[0].id").entity(String.class).isEqualTo(String.valueOf(id))
                .path("callLog.recordings[0].fileName").entity(String.class).isEqualTo(name)
                .path("callLog.recordings[0].url").entity(String.class).get();
        assertThat(url).isEqualTo("/api/recordings/" + id);
        graphQl.as("staff").document("{ outboundRecordings(first: 500) { recordingId url } }").execute()
                .path("outboundRecordings[?(@.recordingId == '" + id + "')].url").entityList(String.class)
                .containsExactly(url);
        HttpResponse<byte[]> response = HTTP.send(request("seller1", url).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.body()).isEqualTo(audio);
    }

    @Test
    void theTypeFollowsTheExtensionAndNeverOneABrowserWouldRun() {
        assertThat(RecordingService.mediaType(Path.of("a.gsm"))).hasToString("audio/x-gsm");
        assertThat(RecordingService.mediaType(Path.of("a.WAV"))).hasToString("audio/wav");
        assertThat(RecordingService.mediaType(Path.of("a.mp3"))).hasToString("audio/mpeg");
        assertThat(RecordingService.mediaType(Path.of("a.ogg"))).hasToString("audio/ogg");
        assertThat(RecordingService.mediaType(Path.of("a.html"))).hasToString("application/octet-stream");
        assertThat(RecordingService.mediaType(Path.of("noextension"))).hasToString("application/octet-stream");
        assertThat(RecordingService.downloadName(7, Path.of("a \"b\";\r\nc.wav"))).isEqualTo("a__b____c.wav");
        assertThat(RecordingService.downloadName(7, Path.of("..."))).isEqualTo("recording-7");
    }

    private long callLog(String campaign) {
        return RecordedCallLogs.callLog(jdbc, campaign, "INBOUND");
    }

    private long recording(long callLog, String fileName) {
        return RecordedCallLogs.recording(jdbc, callLog, fileName);
    }

    private HttpResponse<byte[]> get(String user, long id, String range) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(user, "/api/recordings/" + id);
        if (range != null) {
            request.header("Range", range);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder request(String user, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(graphQl.baseUrl() + path));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }

    private static String message(HttpResponse<byte[]> response) {
        return String.valueOf(JSON.readValue(response.body(), Map.class).get("message"));
    }
}
