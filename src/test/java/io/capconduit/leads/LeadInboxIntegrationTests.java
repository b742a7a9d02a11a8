package io.capconduit.leads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.test.MetaDataInstanceFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class LeadInboxIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LeadImportLauncher launcher;

    @Autowired
    LeadImportProperties properties;

    @Autowired
    LeadListMapper lists;

    @Autowired
    LeadImportMapper imports;

    @Autowired
    RejectReport rejectReport;

    @Autowired
    JobOperator jobOperator;

    @Autowired
    @Qualifier("leadInboxJob")
    Job leadInboxJob;

    @Test
    void importsEachFileAndMovesItToDoneOrFailed() throws Exception {
        Path inbox = properties.inboxFolder();
        long listId = new LeadImportFixtures(jdbc, launcher, inbox).newList("US");
        Path listFolder = Files.createDirectories(inbox.resolve(Long.toString(listId)));
        Files.writeString(listFolder.resolve("good.csv"), "phone\n5035550100\n5035550101\n");
        Files.writeString(listFolder.resolve("bad.csv"), "name\nAda\n");
        Path unknownList = Files.createDirectories(inbox.resolve("999999999"));
        Files.writeString(unknownList.resolve("lost.csv"), "phone\n5035550102\n");
        Path dnc = Files.createDirectories(inbox.resolve("dnc"));
        Files.writeString(dnc.resolve("do-not-call.csv"), "phone\n5035550179\n");

        // settled (inbox-settle-seconds is 0 here): taken at the first poll, though no poll saw them before
        JobExecution execution = poll();

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        // the run says what it did, where the jobs API lists it
        // (other tests' files share this inbox: its counts include theirs)
        assertThat(execution.getExitStatus().getExitDescription()).matches("(?s)Imported [0-9]+ files?, refused [0-9]+ .*");
        assertThat(jdbc.queryForList("SELECT phone FROM leads WHERE list_id = ? ORDER BY phone", String.class, listId))
                .containsExactly("+15035550100", "+15035550101");
        assertThat(listFolder).isEmptyDirectory();
        try (var done = Files.list(inbox.resolve("done").resolve(Long.toString(listId)))) {
            String good = done.map(p -> p.getFileName().toString()).findFirst().orElseThrow();
            assertThat(good).endsWith("-good.csv");
            // imported from processing/, where a restart after an internal error finds the file too
            JobExecution imported = launcher.execution(Long.parseLong(good.substring(0, good.indexOf('-'))));
            assertThat(imported.getJobParameters().getString("file"))
                    .startsWith(inbox.resolve("processing").toAbsolutePath().toString());
            assertThat(imported.getJobParameters().getString("fileName")).isEqualTo("good.csv");
        }
        try (var failed = Files.list(inbox.resolve("failed").resolve(Long.toString(listId)))) {
            Path error = failed.filter(p -> p.toString().endsWith(".error.txt")).findFirst().orElseThrow();
            assertThat(Files.readString(error)).contains("bad.csv was not imported: The header row has no phone column");
        }
        assertThat(Files.readString(inbox.resolve("failed/999999999/0-lost.csv.error.txt")))
                .startsWith("There is no lead list 999999999");
        // dnc/ feeds the do-not-call list through the same import
        try {
            assertThat(jdbc.queryForObject("SELECT count(*) FROM dnc_numbers WHERE phone = '+15035550179'",
                    Integer.class)).isOne();
            assertThat(dnc).isEmptyDirectory();
            try (var done = Files.list(inbox.resolve("done").resolve("dnc"))) {
                assertThat(done.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("do-not-call.csv")))
                        .singleElement().asString().matches("[0-9]+-do-not-call\\.csv");
            }
        }
        finally {
            jdbc.update("DELETE FROM dnc_numbers WHERE phone = '+15035550179'");
        }
    }

    @Test
    void partialUploadsSymlinksAndRecentlyChangedFilesAreLeftAlone() throws Exception {
        Path inbox = properties.inboxFolder();
        long listId = new LeadImportFixtures(jdbc, launcher, inbox).newList("US");
        Path listFolder = Files.createDirectories(inbox.resolve(Long.toString(listId)));
        FileTime anHourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        List<String> partial = List.of("leads.csv.part", "leads.csv.filepart", "leads.tmp", "leads.csv.crdownload",
                ".leads.csv", "~$leads.xlsx");
        for (String name : partial) {
            Files.setLastModifiedTime(Files.writeString(listFolder.resolve(name), "phone\n5035550110\n"), anHourAgo);
        }
        Path outside = Files.createTempFile("outside-the-inbox", ".csv");
        Files.setLastModifiedTime(Files.writeString(outside, "phone\n5035550111\n"), anHourAgo);
        Files.createSymbolicLink(listFolder.resolve("link.csv"), outside);
        Path growing = Files.writeString(listFolder.resolve("growing.csv"), "phone\n5035550112\n");
        Files.setLastModifiedTime(Files.writeString(listFolder.resolve("complete.csv"), "phone\n5035550114\n"),
                anHourAgo);

        // a new inbox, as after a restart: it has seen nothing before. Written just now (whatever their
        // modification time says), they wait
        poll(60, "US", Duration.ZERO);
        assertThat(jdbc.queryForList("SELECT phone FROM leads WHERE list_id = ?", String.class, listId)).isEmpty();

        Files.writeString(growing, "5035550113\n", StandardOpenOption.APPEND);
        // two minutes later, as no file written during the last minute is taken
        poll(60, "US", Duration.ofMinutes(2));

        assertThat(jdbc.queryForList("SELECT phone FROM leads WHERE list_id = ? ORDER BY phone", String.class, listId))
                .containsExactly("+15035550112", "+15035550113", "+15035550114");
        try (var left = Files.list(listFolder)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(
                    concat(partial, "link.csv"));
        }
        Files.delete(outside);
    }

    @Test
    void aFileLeftInProcessingIsRetriedOrPutBackUntilItIsDone() throws Exception {
        Path inbox = properties.inboxFolder();
        long listId = new LeadImportFixtures(jdbc, launcher, inbox).newList("US");
        String list = Long.toString(listId);
        String trigger = "inbox_crash_" + UUID.randomUUID().toString().replace("-", "");
        jdbc.execute("CREATE FUNCTION " + trigger + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "RAISE EXCEPTION 'simulated crash'; END $$");
        jdbc.execute("CREATE TRIGGER " + trigger + " BEFORE INSERT ON leads FOR EACH ROW WHEN (NEW.list_id = "
                + listId + ") EXECUTE FUNCTION " + trigger + "()");
        Path processing = inbox.resolve("processing").resolve(list);
        try {
            Files.writeString(Files.createDirectories(inbox.resolve(list)).resolve("stuck.csv"), "phone\n5035550120\n");
            poll();
            try (var left = Files.list(processing)) {
                assertThat(left.map(p -> p.getFileName().toString())).singleElement().asString().endsWith("-stuck.csv");
            }
        }
        finally {
            jdbc.execute("DROP TRIGGER IF EXISTS " + trigger + " ON leads");
            jdbc.execute("DROP FUNCTION IF EXISTS " + trigger + "()");
        }
        // moved to processing/ by a poll whose launch then failed: no execution names it
        long anHourAgo = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
        Files.writeString(processing.resolve(anHourAgo + "-launch-failed.csv"), "phone\n5035550121\n");
        // one a poll moved just now, its import perhaps still starting: left to that poll
        Path starting = Files.writeString(processing.resolve(System.currentTimeMillis() + "-starting.csv"),
                "phone\n5035550122\n");

        assertThat(poll().getStatus()).isEqualTo(BatchStatus.COMPLETED);

        assertThat(jdbc.queryForList("SELECT phone FROM leads WHERE list_id = ? ORDER BY phone", String.class, listId))
                .containsExactly("+15035550120", "+15035550121");
        try (var done = Files.list(inbox.resolve("done").resolve(list))) {
            assertThat(done.map(p -> p.getFileName().toString().replaceFirst("^[0-9]+-", "")))
                    .containsExactlyInAnyOrder("stuck.csv", "launch-failed.csv");
        }
        try (var left = Files.list(processing)) {
            assertThat(left).containsExactly(starting);
        }
        Files.delete(starting);
    }

    @Test
    void aSecondFileOfTheSameNameForAMissingListDoesNotReplaceTheFirst() throws Exception {
        Path inbox = properties.inboxFolder();
        String list = "999999998";
        Path folder = Files.createDirectories(inbox.resolve(list));
        Files.writeString(folder.resolve("leads.csv"), "phone\n5035550130\n");
        poll();
        // the next night, before the list was created: another file under the same name
        Files.writeString(folder.resolve("leads.csv"), "phone\n5035550131\n");
        poll();

        Path failed = inbox.resolve("failed").resolve(list);
        try (var files = Files.list(failed)) {
            assertThat(files.filter(p -> !p.toString().endsWith(".error.txt")).map(LeadInboxIntegrationTests::read))
                    .containsExactlyInAnyOrder("phone\n5035550130\n", "phone\n5035550131\n");
        }
        try (var errors = Files.list(failed)) {
            assertThat(errors.filter(p -> p.toString().endsWith(".error.txt"))).hasSize(2);
        }
    }

    @Test
    void inboxDncFilesAreReadInTheConfiguredRegion() throws Exception {
        Path dnc = Files.createDirectories(properties.inboxFolder().resolve("dnc"));
        Files.writeString(dnc.resolve("uk-opt-outs.csv"), "phone\n2079460957\n");
        try {
            poll(0, "GB", Duration.ZERO);

            assertThat(jdbc.queryForList("SELECT phone FROM dnc_numbers WHERE phone IN ('+442079460957', "
                    + "'+12079460957')", String.class)).containsExactly("+442079460957");
        }
        finally {
            jdbc.update("DELETE FROM dnc_numbers WHERE phone IN ('+442079460957', '+12079460957')");
        }
    }

    /**
     * One poll by an inbox of its own (as after a restart, or on another app instance) that takes files not
     * written for that many seconds and reads DNC files in that region, {@code later} than now.
     */
    private void poll(int settleSeconds, String dncRegion, Duration later) throws Exception {
        LeadImportProperties p = properties;
        LeadInbox inbox = new LeadInbox(launcher, lists, imports, new LeadImportProperties(p.uploadFolder(), p.serverFolder(),
                p.inboxFolder(), p.chunkSize(), p.concurrentImports(), settleSeconds, dncRegion, p.mergeParts(),
                p.mergePartsFromRows()), rejectReport);
        inbox.at(Clock.offset(Clock.systemUTC(), later)).execute(new StepContribution(MetaDataInstanceFactory.createStepExecution()), null);
    }

    private JobExecution poll() throws Exception {
        return jobOperator.start(leadInboxJob,
                new JobParametersBuilder().addString("firedAt", UUID.randomUUID().toString()).toJobParameters());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static List<String> concat(List<String> names, String... more) {
        List<String> all = new ArrayList<>(names);
        all.addAll(List.of(more));
        return all;
    }
}
