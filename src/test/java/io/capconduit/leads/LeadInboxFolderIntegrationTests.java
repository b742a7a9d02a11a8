package io.capconduit.leads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.test.MetaDataInstanceFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The inbox folder's edges: files still being written, names too long to prefix, things that are not lead files,
 * a folder that is missing, two app instances at once, a file dropped twice, a crash before the file moved.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class LeadInboxFolderIntegrationTests {

    private static final FileTime AN_HOUR_AGO = FileTime.from(Instant.now().minus(Duration.ofHours(1)));

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

    @Test
    void aMissingInboxOrAFileInItsPlaceFailsTheRunNamingThePath() throws Exception {
        Path missing = properties.inboxFolder().resolveSibling("no-such-inbox-" + UUID.randomUUID());
        assertThatThrownBy(() -> poll(inbox(missing, 0), Clock.systemUTC()))
                .hasMessageContaining(missing.toAbsolutePath().toString()).hasMessageContaining("does not exist");

        Path file = Files.writeString(properties.inboxFolder().resolveSibling("a-file-" + UUID.randomUUID()), "x");
        assertThatThrownBy(() -> poll(inbox(file, 0), Clock.systemUTC()))
                .hasMessageContaining(file.toAbsolutePath().toString()).hasMessageContaining("not a folder");
    }

    @Test
    void atStartUpAMissingInboxIsCreatedAndOneThatCannotBeIsNamedInTheLog(CapturedOutput output) throws Exception {
        Path missing = properties.inboxFolder().resolveSibling("new-inbox-" + UUID.randomUUID());
        inbox(missing, 0).checkFolder();
        assertThat(missing).isDirectory();

        Path underAFile = Files.writeString(properties.inboxFolder().resolveSibling("a-file-" + UUID.randomUUID()), "x")
                .resolve("inbox");
        inbox(underAFile, 0).checkFolder();
        assertThat(output.getOut() + output.getErr()).contains("Cannot create the inbox folder " + underAFile);
    }

    @Test
    void aFileWrittenJustNowWaitsThoughItsModificationTimeIsOld() throws Exception {
        long listId = newList();
        Path folder = listFolder(listId);
        // a copy that keeps the original's time may set it before its last byte is written (and a writer may go on
        // writing after setting it): the file's status change time (ctime) still tells it was written just now
        Files.setLastModifiedTime(Files.writeString(folder.resolve("kept-its-time.csv"), "phone\n5035550140\n"),
                AN_HOUR_AGO);

        poll(inbox(properties.inboxFolder(), 60), Clock.systemUTC());
        assertThat(phones(listId)).isEmpty();
        assertThat(folder.resolve("kept-its-time.csv")).exists();

        // a minute later, nothing changed it
        poll(inbox(properties.inboxFolder(), 60), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2)));
        assertThat(phones(listId)).containsExactly("+15035550140");
    }

    @Test
    void aFileWhoseModificationTimeIsInTheFutureIsTakenOnceNothingWritesToIt() throws Exception {
        long listId = newList();
        // a copy that kept a wrong time of its source, or a file server whose clock is ahead
        Files.setLastModifiedTime(Files.writeString(listFolder(listId).resolve("from-the-future.csv"),
                "phone\n5035550146\n"), FileTime.from(Instant.now().plus(Duration.ofDays(365))));

        poll(inbox(properties.inboxFolder(), 60), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2)));

        assertThat(phones(listId)).containsExactly("+15035550146");
    }

    @Test
    void aFileWhoseNameIsTooLongToPrefixIsStillImportedOrRefused() throws Exception {
        long listId = newList();
        Path folder = listFolder(listId);
        String good = "g".repeat(240) + ".csv";
        String bad = "b".repeat(240) + ".csv";
        Files.writeString(folder.resolve(good), "phone\n5035550141\n");
        Files.writeString(folder.resolve(bad), "name\nAda\n");

        poll(inbox(properties.inboxFolder(), 0), Clock.systemUTC());

        assertThat(phones(listId)).containsExactly("+15035550141");
        assertThat(folder).isEmptyDirectory();
        assertThat(names(properties.inboxFolder().resolve("done").resolve(Long.toString(listId)))).singleElement()
                .asString().matches("[0-9]+-g+~\\.csv");
        assertThat(names(properties.inboxFolder().resolve("failed").resolve(Long.toString(listId))))
                .hasSize(2).allMatch(name -> name.matches("[0-9]+-b+~\\.csv(\\.error\\.txt)?"));
    }

    @Test
    void aFileThatCannotBeHandledDoesNotStopTheOthersAndTheRunSaysWhich() throws Exception {
        long blocked = newList();
        long other = newList();
        Files.writeString(listFolder(blocked).resolve("a.csv"), "phone\n5035550142\n");
        Files.writeString(listFolder(other).resolve("b.csv"), "phone\n5035550143\n");
        // processing/<list> should be a folder: this one cannot be moved into it
        Path inTheWay = Files.writeString(Files.createDirectories(properties.inboxFolder().resolve("processing"))
                .resolve(Long.toString(blocked)), "in the way");
        try {
            assertThatThrownBy(() -> poll(inbox(properties.inboxFolder(), 0), Clock.systemUTC()))
                    .hasMessageContaining("could not be handled").hasMessageContaining(blocked + "/a.csv");

            assertThat(phones(other)).containsExactly("+15035550143");
            assertThat(listFolder(blocked).resolve("a.csv")).exists();
        }
        finally {
            Files.delete(inTheWay);
            Files.deleteIfExists(listFolder(blocked).resolve("a.csv"));
        }
    }

    @Test
    void whatIsNoLeadFileInAListFolderIsReportedAndAStrayFileGoesToFailedWithTheReason() throws Exception {
        Path inbox = properties.inboxFolder();
        long listId = newList();
        Path folder = listFolder(listId);
        String stray = "stray-" + UUID.randomUUID() + ".csv";
        Files.writeString(inbox.resolve(stray), "phone\n5035550144\n");
        Path notAList = Files.createDirectories(inbox.resolve("March leads " + UUID.randomUUID()));
        Files.createDirectories(folder.resolve("older"));
        Path outside = Files.writeString(Files.createTempFile("outside-the-inbox", ".csv"), "phone\n5035550145\n");
        Files.createSymbolicLink(folder.resolve("link.csv"), outside);
        Files.createFile(folder.resolve("empty.csv"));
        Files.writeString(folder.resolve("notes.pdf"), "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n");
        try {
            StepContribution run = poll(inbox(inbox, 0), Clock.systemUTC());

            String report = run.getExitStatus().getExitDescription();
            assertThat(report).contains(listId + "/older (a folder", listId + "/link.csv (a symbolic link",
                    notAList.getFileName() + " (not a lead list id nor dnc", stray + " (not in a list folder");
            assertThat(Files.readString(inbox.resolve("failed").resolve("0-" + stray + ".error.txt")))
                    .contains("not in a list folder");
            Path failed = inbox.resolve("failed").resolve(Long.toString(listId));
            assertThat(errorOf(failed, "-empty.csv")).contains("The file is empty");
            assertThat(errorOf(failed, "-notes.pdf")).contains("not a spreadsheet");
            assertThat(names(folder)).containsExactlyInAnyOrder("older", "link.csv");
        }
        finally {
            Files.delete(notAList);
            Files.delete(outside);
        }
    }

    @Test
    void twoAppInstancesPollingAtOnceImportEachFileOnce() throws Exception {
        long listId = newList();
        Path folder = listFolder(listId);
        String prefix = "both-" + UUID.randomUUID() + "-";
        for (int i = 0; i < 8; i++) {
            Files.writeString(folder.resolve(prefix + i + ".csv"), "phone\n50355502" + (10 + i) + "\n");
        }
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<StepContribution>> instances = IntStream.range(0, 2)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        return poll(inbox(properties.inboxFolder(), 0), Clock.systemUTC());
                    }
                    catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                })).toList();
        go.countDown();
        for (CompletableFuture<StepContribution> instance : instances) {
            instance.get(2, TimeUnit.MINUTES);
        }

        Map<String, Long> importsPerFile = jdbc.queryForList("SELECT p.parameter_value FROM batch_job_execution_params p "
                        + "JOIN batch_job_execution e ON e.job_execution_id = p.job_execution_id "
                        + "WHERE p.parameter_name = 'fileName' AND p.parameter_value LIKE ?", String.class, prefix + "%")
                .stream().collect(Collectors.groupingBy(name -> name, Collectors.counting()));
        assertThat(importsPerFile).hasSize(8).allSatisfy((name, count) -> assertThat(count).isOne());
        assertThat(names(properties.inboxFolder().resolve("done").resolve(Long.toString(listId)))).hasSize(8);
        assertThat(folder).isEmptyDirectory();
    }

    @Test
    void aFileDroppedAgainUnderTheSameNameIsImportedAgainAndKeptBesideTheFirst() throws Exception {
        long listId = newList();
        Path folder = listFolder(listId);
        Files.writeString(folder.resolve("leads.csv"), "phone\n5035550150\n");
        poll(inbox(properties.inboxFolder(), 0), Clock.systemUTC());
        // the next day: the same name, other leads (and one of the first file's)
        Files.writeString(folder.resolve("leads.csv"), "phone\n5035550150\n5035550151\n");
        poll(inbox(properties.inboxFolder(), 0), Clock.systemUTC());

        assertThat(phones(listId)).containsExactly("+15035550150", "+15035550151");
        Path done = properties.inboxFolder().resolve("done").resolve(Long.toString(listId));
        try (Stream<Path> files = Files.list(done)) {
            assertThat(files.map(LeadInboxFolderIntegrationTests::read)).containsExactlyInAnyOrder(
                    "phone\n5035550150\n", "phone\n5035550150\n5035550151\n");
        }
    }

    @Test
    void aCrashAfterTheImportEndedButBeforeTheFileMovedDoesNotImportItTwice() throws Exception {
        long listId = newList();
        Path processing = Files.createDirectories(properties.inboxFolder().resolve("processing")
                .resolve(Long.toString(listId)));
        Path ended = Files.writeString(processing.resolve(System.currentTimeMillis() + "-ended.csv"),
                "phone\n5035550152\n");
        Path merged = Files.writeString(processing.resolve(System.currentTimeMillis() + "-merged.csv"),
                "phone\n5035550153\n");
        // the poll ran both imports, then the app died: one recorded as COMPLETED, the other committed its leads
        // but died before Spring Batch recorded its merge step and itself as ended
        JobExecution first = launcher.run(new LeadImportLauncher.ImportRequest(ended, "ended.csv", listId, null, null,
                null));
        JobExecution second = launcher.run(new LeadImportLauncher.ImportRequest(merged, "merged.csv", listId, null,
                null, null));
        assertThat(List.of(first.getStatus(), second.getStatus())).containsOnly(BatchStatus.COMPLETED);
        jdbc.update("UPDATE batch_job_execution SET status = 'STARTED', exit_code = 'UNKNOWN', end_time = NULL "
                + "WHERE job_execution_id = ?", second.getId());
        jdbc.update("UPDATE batch_step_execution SET status = 'STARTED', exit_code = 'EXECUTING', end_time = NULL "
                + "WHERE job_execution_id = ? AND step_name = 'leadImportMerge'", second.getId());

        poll(inbox(properties.inboxFolder(), 0), Clock.systemUTC());

        assertThat(jdbc.queryForObject("SELECT count(*) FROM leads WHERE list_id = ?", Integer.class, listId))
                .isEqualTo(2);
        assertThat(processing).isEmptyDirectory();
        assertThat(names(properties.inboxFolder().resolve("done").resolve(Long.toString(listId))))
                .contains(first.getId() + "-ended.csv").anyMatch(name -> name.endsWith("-merged.csv"));
        assertThat(imports.lastExecutionOfFile(ended.toAbsolutePath().toString())).isEqualTo(first.getId());
        JobExecution restarted = launcher.execution(imports.lastExecutionOfFile(merged.toAbsolutePath().toString()));
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(restarted.getExitStatus().getExitDescription()).startsWith("Imported 1 of 1 rows");
    }

    @Test
    void aDncFileDropsDuplicatesAndReportsInvalidNumbersBesideIt() throws Exception {
        Path dnc = Files.createDirectories(properties.inboxFolder().resolve("dnc"));
        String name = "opt-outs-" + UUID.randomUUID() + ".csv";
        Files.writeString(dnc.resolve(name), "phone\n5035550171\n5035550171\nnot a number\n");
        try {
            poll(inbox(properties.inboxFolder(), 0), Clock.systemUTC());

            assertThat(jdbc.queryForObject("SELECT count(*) FROM dnc_numbers WHERE phone = '+15035550171'",
                    Integer.class)).isOne();
            Path done = properties.inboxFolder().resolve("done").resolve("dnc");
            String moved = names(done).stream().filter(n -> n.endsWith("-" + name)).findFirst().orElseThrow();
            JobExecution execution = launcher.execution(Long.parseLong(moved.substring(0, moved.indexOf('-'))));
            assertThat(execution.getExitStatus().getExitDescription())
                    .contains("1 duplicate dropped, 1 row rejected");
            assertThat(Files.readString(done.resolve(moved + ".rejects.csv"))).contains("4,\"not a number\"");
        }
        finally {
            jdbc.update("DELETE FROM dnc_numbers WHERE phone = '+15035550171'");
        }
    }

    @Test
    void aDncFileWhoseImportCrashedIsRestartedByTheNextRunWithNoNumberTwiceOrMissed() throws Exception {
        Path dnc = Files.createDirectories(properties.inboxFolder().resolve("dnc"));
        String name = "crashing-opt-outs-" + UUID.randomUUID() + ".csv";
        Files.writeString(dnc.resolve(name), "phone\n5035550172\n5035550173\n");
        String trigger = "inbox_dnc_crash_" + UUID.randomUUID().toString().replace("-", "");
        jdbc.execute("CREATE FUNCTION " + trigger + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "RAISE EXCEPTION 'simulated crash'; END $$");
        jdbc.execute("CREATE TRIGGER " + trigger + " BEFORE INSERT ON dnc_numbers FOR EACH ROW WHEN (NEW.phone = "
                + "'+15035550173') EXECUTE FUNCTION " + trigger + "()");
        try {
            StepContribution first = poll(inbox(properties.inboxFolder(), 0), Clock.systemUTC());
            assertThat(first.getExitStatus().getExitDescription())
                    .containsPattern("processing/dnc/[0-9]+-" + name + " \\(its import, execution [0-9]+, stopped on an "
                            + "internal error: the next run restarts it\\)");
            jdbc.execute("DROP TRIGGER " + trigger + " ON dnc_numbers");

            poll(inbox(properties.inboxFolder(), 0), Clock.systemUTC());

            assertThat(jdbc.queryForList("SELECT phone FROM dnc_numbers WHERE phone IN ('+15035550172', "
                    + "'+15035550173') ORDER BY phone", String.class)).containsExactly("+15035550172", "+15035550173");
            String moved = names(properties.inboxFolder().resolve("done").resolve("dnc")).stream()
                    .filter(n -> n.endsWith("-" + name)).findFirst().orElseThrow();
            JobExecution restarted = launcher.execution(Long.parseLong(moved.substring(0, moved.indexOf('-'))));
            // the same import, restarted: not a second one
            assertThat(jdbc.queryForObject("SELECT count(*) FROM batch_job_execution WHERE job_instance_id = ?",
                    Integer.class, restarted.getJobInstance().getInstanceId())).isEqualTo(2);
            assertThat(restarted.getExitStatus().getExitDescription()).startsWith("Imported 2 of 2 rows");
        }
        finally {
            jdbc.execute("DROP TRIGGER IF EXISTS " + trigger + " ON dnc_numbers");
            jdbc.execute("DROP FUNCTION IF EXISTS " + trigger + "()");
            jdbc.update("DELETE FROM dnc_numbers WHERE phone IN ('+15035550172', '+15035550173')");
        }
    }

    private LeadInbox inbox(Path folder, int settleSeconds) {
        LeadImportProperties p = properties;
        return new LeadInbox(launcher, lists, imports, new LeadImportProperties(p.uploadFolder(), p.serverFolder(),
                folder, p.chunkSize(), p.concurrentImports(), settleSeconds, p.inboxDncRegion(), p.mergeParts(),
                p.mergePartsFromRows()), rejectReport);
    }

    /** One poll by an inbox of its own, as on another app instance, at the clock's time. */
    private static StepContribution poll(LeadInbox inbox, Clock clock) throws Exception {
        StepContribution contribution = new StepContribution(MetaDataInstanceFactory.createStepExecution());
        inbox.at(clock).execute(contribution, null);
        return contribution;
    }

    private long newList() {
        return new LeadImportFixtures(jdbc, launcher, properties.inboxFolder()).newList("US");
    }

    private Path listFolder(long listId) throws IOException {
        return Files.createDirectories(properties.inboxFolder().resolve(Long.toString(listId)));
    }

    private List<String> phones(long listId) {
        return jdbc.queryForList("SELECT phone FROM leads WHERE list_id = ? ORDER BY phone", String.class, listId);
    }

    private static String errorOf(Path folder, String suffix) throws IOException {
        String note = names(folder).stream().filter(n -> n.endsWith(suffix + ".error.txt")).findFirst().orElseThrow();
        return Files.readString(folder.resolve(note));
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
