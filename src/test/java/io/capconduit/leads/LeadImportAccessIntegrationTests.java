package io.capconduit.leads;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;

import javax.sql.DataSource;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/** The three doors into an import (upload, server file; the inbox has its own test) and who may use them. */
@IntegrationTest
class LeadImportAccessIntegrationTests {

    private static final String CSV = "Phone,Given\n2065550101,Ada\nnope,Alan\n";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    LeadImportLauncher launcher;

    @Autowired
    LeadImportProperties properties;

    @Autowired
    GraphQlTesters graphQl;

    @TempDir
    Path folder;

    @Test
    void uploadAnswersWithTheExecutionIdAndTheRejectsDownloadAsCsvAndXlsx() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        long listId = fixtures.newList("Acme Leads", "US");

        Map<String, Object> started = upload("seller1", "/api/leads/import?listId=" + listId + "&mapping=first_name=Given",
                HttpStatus.ACCEPTED);
        long executionId = ((Number) started.get("executionId")).longValue();
        launcher.await(launcher.execution(executionId));

        Map<String, Object> status = rest("seller1").get().uri("/api/leads/import/" + executionId).exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        assertThat(status).containsEntry("status", "COMPLETED").containsEntry("rowsRead", 2)
                .containsEntry("imported", 1).containsEntry("rejected", 1).containsEntry("fileName", "leads.csv");
        assertThat(fixtures.leads(listId)).extracting(l -> l.get("first_name")).containsExactly("Ada");
        // no restart will read the stored upload (full lead data) again
        String stored = launcher.execution(executionId).getJobParameters().getString("file");
        assertThat(stored).startsWith(properties.uploadFolder().toAbsolutePath().toString());
        assertThat(Path.of(stored)).doesNotExist();

        String csv = rest("seller1").get().uri("/api/leads/import/" + executionId + "/rejects.csv").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(csv).isEqualTo("\uFEFFrow,raw_value,reason\r\n3,\"nope\",\"not a phone number (no digits of a phone "
                + "number)\"\r\n");
        byte[] xlsx = rest("seller1").get().uri("/api/leads/import/" + executionId + "/rejects.xlsx").exchange()
                .expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            Sheet sheet = workbook.getSheetAt(0);
            assertThat(sheet.getRow(1).getCell(0).getNumericCellValue()).isEqualTo(3);
            assertThat(sheet.getRow(1).getCell(1).getStringCellValue()).isEqualTo("nope");
        }
        // another seller sees neither the import nor its rejects
        rest("seller2").get().uri("/api/leads/import/" + executionId + "/rejects.csv").exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void aSellerCannotImportIntoAnotherSellersListNorIntoTheDncList() {
        long brightList = new LeadImportFixtures(jdbc, launcher, folder).newList("Bright Media", "US");
        upload("seller1", "/api/leads/import?listId=" + brightList, HttpStatus.NOT_FOUND);
        upload("seller1", "/api/dnc/import", HttpStatus.FORBIDDEN);
        upload("staff", "/api/leads/import?listId=" + brightList, HttpStatus.ACCEPTED);
    }

    @Test
    void serverFileImportStaysInsideTheImportFolder() throws Exception {
        long listId = new LeadImportFixtures(jdbc, launcher, folder).newList("US");
        Files.createDirectories(properties.serverFolder().resolve("march"));
        Files.writeString(properties.serverFolder().resolve("march/leads.csv"), CSV);

        String executionId = graphQl.as("staff").documentName("importLeadsFromServerFile")
                .variable("listId", listId).variable("path", "march/leads.csv").execute()
                .path("importLeadsFromServerFile.leadImport.fileName").entity(String.class).isEqualTo("leads.csv")
                .path("importLeadsFromServerFile.executionId").entity(String.class).get();
        assertThat(launcher.await(launcher.execution(Long.parseLong(executionId))).getStatus())
                .isEqualTo(BatchStatus.COMPLETED);
        graphQl.as("staff").documentName("leadImport").variable("executionId", executionId).execute()
                .path("leadImport.imported").entity(Integer.class).isEqualTo(1)
                .path("leadImport.rejected").entity(Integer.class).isEqualTo(1)
                .path("leadImport.message").entity(String.class).isEqualTo("Imported 1 of 2 rows from leads.csv: "
                        + "0 duplicates dropped, 1 row rejected");

        for (String outside : new String[] { "../../../../etc/passwd", "/etc/passwd", "march/../../x.csv" }) {
            graphQl.as("staff").documentName("importLeadsFromServerFile").variable("listId", listId)
                    .variable("path", outside).execute().errors()
                    .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                            && "input.path".equals(error.getExtensions().get("field")))
                    .verify();
        }
        graphQl.as("seller1").documentName("importLeadsFromServerFile").variable("listId", listId)
                .variable("path", "march/leads.csv").execute().errors()
                .expect(error -> "FORBIDDEN".equals(error.getExtensions().get("classification"))).verify();
    }

    /**
     * While the merge waits (another transaction holds the list's row, as a merge into the same list would), the
     * jobs API already shows the file read and its rejects; imported leads count once the merge committed.
     */
    @Test
    void progressIsVisibleThroughTheJobsApiWhileTheImportRuns() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        long listId = fixtures.newList("US");
        Path file = fixtures.csv("phone\n2065550190\n2065550191\nnope\n2065550192\n");
        JobExecution execution;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement lock = holder.createStatement()) {
                lock.execute("SELECT id FROM lead_lists WHERE id = " + listId + " FOR UPDATE");
            }
            execution = launcher.start(new LeadImportLauncher.ImportRequest(file, "leads.csv", listId, null, null,
                    null));
            String id = String.valueOf(execution.getId());
            Instant deadline = Instant.now().plusSeconds(30);
            while (Instant.now().isBefore(deadline) && !"STARTED".equals(mergeStatus(id))) {
                Thread.sleep(50);
            }

            graphQl.as("staff").document("""
                    query ($id: ID!) { batchJobExecution(id: $id) { status steps { name status readCount
                        processSkipCount } } }""").variable("id", id).execute()
                    .path("batchJobExecution.status").entity(String.class).isEqualTo("STARTED")
                    .path("batchJobExecution.steps[0].name").entity(String.class).isEqualTo("leadImportStage")
                    .path("batchJobExecution.steps[0].status").entity(String.class).isEqualTo("COMPLETED")
                    .path("batchJobExecution.steps[0].readCount").entity(Integer.class).isEqualTo(4)
                    .path("batchJobExecution.steps[0].processSkipCount").entity(Integer.class).isEqualTo(1);
            graphQl.as("staff").documentName("leadImport").variable("executionId", id).execute()
                    .path("leadImport.status").entity(String.class).isEqualTo("STARTED")
                    .path("leadImport.rowsRead").entity(Integer.class).isEqualTo(4)
                    .path("leadImport.rejected").entity(Integer.class).isEqualTo(1)
                    .path("leadImport.imported").entity(Integer.class).isEqualTo(0);
            holder.rollback();
        }
        assertThat(launcher.await(execution).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        graphQl.as("staff").documentName("leadImport").variable("executionId", String.valueOf(execution.getId()))
                .execute().path("leadImport.imported").entity(Integer.class).isEqualTo(3);
    }

    /** The status of the execution's merge step, once it has one. */
    private String mergeStatus(String executionId) {
        return jdbc.query("SELECT s.status FROM batch_step_execution s WHERE s.job_execution_id = ? "
                + "AND s.step_name = 'leadImportMerge'", (rs, row) -> rs.getString(1), Long.parseLong(executionId))
                .stream().findFirst().orElse(null);
    }

    /**
     * A file refused after some chunks were staged (a quote never closed at its end): nothing is imported, and
     * its status and reject report say why the file was refused, not the row rejects of the chunks before.
     */
    @Test
    void aRefusedFilesReportSaysWhyInsteadOfTheRejectsOfItsEarlierChunks() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        long listId = fixtures.newList("Acme Leads", "US");
        Path file = fixtures.csv("phone\n2065550301\nnope\n2065550302\nnada\n2065550303\n\"2065550304\n");

        JobExecution refused = fixtures.importLeads(listId, file, null, 2);

        assertThat(refused.getStatus()).isEqualTo(BatchStatus.FAILED);
        String why = file.getFileName() + " was not imported: Row 7 opens a quoted cell that never closes";
        assertThat(refused.getExitStatus().getExitDescription()).isEqualTo(why);
        assertThat(fixtures.leads(listId)).isEmpty();
        assertThat(fixtures.rejects(refused)).isEmpty();
        Map<String, Object> status = rest("seller1").get().uri("/api/leads/import/" + refused.getId()).exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        assertThat(status).containsEntry("status", "FAILED").containsEntry("message", why)
                .containsEntry("imported", 0).containsEntry("rejected", 0);
        String csv = rest("seller1").get().uri("/api/leads/import/" + refused.getId() + "/rejects.csv").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(csv).isEqualTo("\uFEFFrow,raw_value,reason\r\n,,\"" + why + "\"\r\n");
        byte[] xlsx = rest("seller1").get().uri("/api/leads/import/" + refused.getId() + "/rejects.xlsx").exchange()
                .expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            Sheet sheet = workbook.getSheetAt(0);
            assertThat(sheet.getLastRowNum()).isEqualTo(1);
            assertThat(sheet.getRow(1).getCell(2).getStringCellValue()).isEqualTo(why);
        }
    }

    /** The DNC list's two API doors, for ADMIN/STAFF only; its rejects download like a list's. */
    @Test
    void staffImportDncNumbersByUploadAndFromAServerFile() throws Exception {
        try {
            Map<String, Object> started = upload("staff", "/api/dnc/import",
                    "Phone\n2065550177\nnope\n", HttpStatus.ACCEPTED);
            long uploaded = ((Number) started.get("executionId")).longValue();
            assertThat(launcher.await(launcher.execution(uploaded)).getStatus()).isEqualTo(BatchStatus.COMPLETED);
            String csv = rest("staff").get().uri("/api/leads/import/" + uploaded + "/rejects.csv").exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
            assertThat(csv).contains("3,\"nope\"");

            Files.createDirectories(properties.serverFolder());
            Files.writeString(properties.serverFolder().resolve("dnc-march.csv"), "phone\n(206) 555-0178\n");
            String fromServer = graphQl.as("staff").documentName("importDncFromServerFile")
                    .variable("path", "dnc-march.csv").execute()
                    .path("importDncFromServerFile.leadImport.listId").valueIsNull()
                    .path("importDncFromServerFile.executionId").entity(String.class).get();
            assertThat(launcher.await(launcher.execution(Long.parseLong(fromServer))).getStatus())
                    .isEqualTo(BatchStatus.COMPLETED);

            assertThat(jdbc.queryForList("SELECT phone FROM dnc_numbers WHERE phone IN ('+12065550177', "
                    + "'+12065550178') ORDER BY phone", String.class)).containsExactly("+12065550177", "+12065550178");
            graphQl.as("seller1").documentName("importDncFromServerFile").variable("path", "dnc-march.csv").execute()
                    .errors().expect(error -> "FORBIDDEN".equals(error.getExtensions().get("classification")))
                    .verify();
        }
        finally {
            jdbc.update("DELETE FROM dnc_numbers WHERE phone IN ('+12065550177', '+12065550178')");
        }
    }

    /** A DNC file of another country: national numbers read in its region, not as US numbers. */
    @Test
    void aDncImportReadsNumbersWithoutCountryCodeInTheRegionItIsGiven() throws Exception {
        try {
            Files.createDirectories(properties.serverFolder());
            // a UK list whose numeric phone column lost the trunk 0: as a US number it is a valid one in Maine
            Files.writeString(properties.serverFolder().resolve("dnc-uk.csv"), "phone\n2079460958\n07911 123456\n");
            String started = graphQl.as("staff").documentName("importDncFromServerFileInRegion")
                    .variable("path", "dnc-uk.csv").variable("region", "gb").execute()
                    .path("importDncFromServerFile.executionId").entity(String.class).get();
            assertThat(launcher.await(launcher.execution(Long.parseLong(started))).getStatus())
                    .isEqualTo(BatchStatus.COMPLETED);
            long uploaded = ((Number) upload("staff", "/api/dnc/import?region=GB", "phone\n020 7946 0959\n",
                    HttpStatus.ACCEPTED).get("executionId")).longValue();
            assertThat(launcher.await(launcher.execution(uploaded)).getStatus()).isEqualTo(BatchStatus.COMPLETED);

            assertThat(jdbc.queryForList("SELECT phone FROM dnc_numbers WHERE phone IN ('+442079460958', "
                    + "'+447911123456', '+442079460959', '+12079460958') ORDER BY phone", String.class))
                    .containsExactly("+442079460958", "+442079460959", "+447911123456");
            graphQl.as("staff").documentName("importDncFromServerFileInRegion").variable("path", "dnc-uk.csv")
                    .variable("region", "XX").execute().errors()
                    .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                            && "input.region".equals(error.getExtensions().get("field"))).verify();
            assertThat(upload("staff", "/api/dnc/import?region=XX", HttpStatus.BAD_REQUEST)).containsEntry("field",
                    "region");
        }
        finally {
            jdbc.update("DELETE FROM dnc_numbers WHERE phone IN ('+442079460958', '+447911123456', '+442079460959', "
                    + "'+12079460958')");
        }
    }

    /** A DNC import from a server file follows the column mapping it is given (it was dropped). */
    @Test
    void aDncImportFromAServerFileFollowsItsMapping() throws Exception {
        try {
            Files.createDirectories(properties.serverFolder());
            Files.writeString(properties.serverFolder().resolve("dnc-contacts.csv"), "Contact,Given\n(206) 555-0186,Ann\n");

            String started = graphQl.as("staff").documentName("importDncFromServerFileWithMapping")
                    .variable("path", "dnc-contacts.csv").variable("phoneColumn", "Contact").execute()
                    .path("importDncFromServerFile.executionId").entity(String.class).get();

            assertThat(launcher.await(launcher.execution(Long.parseLong(started))).getStatus())
                    .isEqualTo(BatchStatus.COMPLETED);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM dnc_numbers WHERE phone = '+12065550186'", Long.class))
                    .isOne();
        }
        finally {
            jdbc.update("DELETE FROM dnc_numbers WHERE phone = '+12065550186'");
        }
    }

    /** An execution id that names nothing is NOT_FOUND (404), as an import of another seller's list is. */
    @Test
    void anUnknownExecutionIdIsNotFound() {
        graphQl.as("staff").documentName("leadImport").variable("executionId", "987654").execute().errors()
                .expect(error -> "NOT_FOUND".equals(error.getExtensions().get("classification"))).verify();
        graphQl.as("staff").document("mutation { restartLeadImport(executionId: 987654) { executionId } }").execute()
                .errors().expect(error -> "NOT_FOUND".equals(error.getExtensions().get("classification"))).verify();
        for (String uri : new String[] { "/api/leads/import/987654", "/api/leads/import/-1",
                "/api/leads/import/987654/rejects.csv", "/api/leads/import/987654/rejects.xlsx" }) {
            rest("staff").get().uri(uri).exchange().expectStatus().isNotFound();
        }
    }

    /** A parameter missing or not a number gets a body naming it, as the exports do, not a bare 400. */
    @Test
    void aMissingOrMalformedParameterIsNamed() {
        assertThat(upload("staff", "/api/leads/import", HttpStatus.BAD_REQUEST))
                .containsEntry("field", "listId").containsEntry("message", "is required");
        assertThat(upload("staff", "/api/leads/import?listId=abc", HttpStatus.BAD_REQUEST))
                .containsEntry("field", "listId").containsEntry("message", "must be a whole number");
        assertThat(upload("staff", "/api/leads/import?listId=99999999999999999999", HttpStatus.BAD_REQUEST))
                .containsEntry("field", "listId");

        MultipartBodyBuilder noFile = new MultipartBodyBuilder();
        noFile.part("upload", "the file under another name");
        String token = graphQl.apiToken("staff");
        for (String uri : new String[] { "/api/leads/import?listId=" + newList(), "/api/dnc/import" }) {
            Map<String, Object> answer = WebTestClient.bindToServer(new JdkClientHttpConnector()).baseUrl(graphQl.baseUrl())
                    .defaultHeaders(h -> h.setBearerAuth(token)).build()
                    .post().uri(uri).contentType(MediaType.MULTIPART_FORM_DATA)
                    .body(BodyInserters.fromMultipartData(noFile.build())).exchange()
                    .expectStatus().isBadRequest()
                    .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
            assertThat(answer).containsEntry("field", "file");
        }

        for (String uri : new String[] { "/api/leads/import/abc", "/api/leads/import/abc/rejects.csv" }) {
            assertThat(rest("staff").get().uri(uri).exchange().expectStatus().isBadRequest()
                    .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult()
                    .getResponseBody()).containsEntry("field", "executionId");
        }
    }

    private long newList() {
        return new LeadImportFixtures(jdbc, launcher, folder).newList("US");
    }

    /**
     * A seller asking for a DNC import or for an import into another seller's list gets the answer an id that
     * names nothing gets (as for another seller's campaign), so the answer tells it neither which ids are DNC
     * imports nor which lists are another seller's.
     */
    @Test
    void aSellerCannotTellADncImportOrAnotherSellersImportFromAMissingOne() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        JobExecution dnc = fixtures.importDnc(fixtures.csv("phone\nnope\n"));
        JobExecution others = fixtures.importLeads(fixtures.newList("Bright Media", "US"),
                fixtures.csv("phone\nnope\n"));
        assertThat(dnc.getStatus()).isEqualTo(BatchStatus.COMPLETED);

        for (long id : new long[] { 987654, dnc.getId(), others.getId() }) {
            graphQl.as("seller1").documentName("leadImport").variable("executionId", String.valueOf(id)).execute()
                    .errors().expect(error -> "NOT_FOUND".equals(error.getExtensions().get("classification"))
                            && error.getMessage().equals("Lead import " + id + " not found"))
                    .verify();
            for (String uri : new String[] { "/api/leads/import/" + id, "/api/leads/import/" + id + "/rejects.csv",
                    "/api/leads/import/" + id + "/rejects.xlsx" }) {
                rest("seller1").get().uri(uri).exchange().expectStatus().isNotFound().expectBody(String.class)
                        .isEqualTo("{\"message\":\"Lead import " + id + " not found\"}");
            }
        }
    }

    /** A file name with nothing after its last slash, and a server path with a NUL: clear answers, not 500s. */
    @Test
    void oddFileNamesAndPathsGetClearAnswers() throws Exception {
        long listId = new LeadImportFixtures(jdbc, launcher, folder).newList("US");
        Map<String, Object> started = upload("staff", "/api/leads/import?listId=" + listId, CSV, "/",
                HttpStatus.ACCEPTED);
        assertThat(started).containsEntry("fileName", "upload");
        assertThat(launcher.await(launcher.execution(((Number) started.get("executionId")).longValue())).getStatus())
                .isEqualTo(BatchStatus.COMPLETED);

        graphQl.as("staff").documentName("importLeadsFromServerFile").variable("listId", listId)
                .variable("path", "march/leads\u0000.csv").execute().errors()
                .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && "input.path".equals(error.getExtensions().get("field")))
                .verify();
    }

    private Map<String, Object> upload(String user, String uri, HttpStatus expected) {
        return upload(user, uri, CSV, expected);
    }

    private Map<String, Object> upload(String user, String uri, String content, HttpStatus expected) {
        return upload(user, uri, content, "leads.csv", expected);
    }

    private Map<String, Object> upload(String user, String uri, String content, String fileName,
            HttpStatus expected) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", new ByteArrayResource(content.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public String getFilename() {
                return fileName;
            }
        }).contentType(MediaType.TEXT_PLAIN);
        // uploads take an API token (Basic credentials alone would need a CSRF token, as a browser's would)
        String token = graphQl.apiToken(user);
        return WebTestClient.bindToServer(new JdkClientHttpConnector()).baseUrl(graphQl.baseUrl())
                .defaultHeaders(h -> h.setBearerAuth(token)).build()
                .post().uri(uri).contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(body.build())).exchange()
                .expectStatus().isEqualTo(expected)
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    private WebTestClient rest(String user) {
        return WebTestClient.bindToServer(new JdkClientHttpConnector()).baseUrl(graphQl.baseUrl())
                .defaultHeaders(h -> h.setBasicAuth(user, "demo")).build();
    }
}
