package io.capconduit.leads;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobExecutionException;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The inbox folder: {@code <inbox>/<listId>/*} imports into that lead list, {@code <inbox>/dnc/*} into the DNC
 * list. A file is taken once it is settled: not a partial upload's name ({@link InboxFiles#isPartialUpload}), a
 * regular file (no symlink, no folder), readable, not written for the settle time ({@link InboxFiles#isSettled}).
 * That is decided from the file alone, not from an earlier poll, so any app instance takes it at its first poll
 * after it is complete, restarts or not. It then moves to {@code processing/<listId>/} (a rename:
 * of two instances polling at once, one gets it) and is imported from there, so a restart of its import (after an
 * internal error or a crash of the server) finds it. After its import it moves to {@code done/<listId>/} (with
 * {@code .rejects.csv} beside it when rows were rejected) or, when refused, {@code failed/<listId>/} (with a
 * {@code .error.txt} saying why), prefixed by the execution id, so a name dropped again never replaces the first;
 * after an internal error it stays in {@code processing/}, and each poll first settles what is there: it restarts
 * the import (unless it runs or was stopped), moves the file on once its import ended (a restart by staff, or a
 * crash before the move: never imported twice), and puts a file whose import never started (the launch failed)
 * back in the inbox. A file that changed while it was imported goes to {@code failed/}; a file right in the inbox,
 * in no list's folder, too. What a poll leaves and why is its exit description; one file that cannot be handled
 * (an I/O error) does not stop the others, and fails the run once they are done. Counts: read = files, write =
 * imported, process skip = failed.
 */
@Component
class LeadInbox implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(LeadInbox.class);
    private static final String DNC = "dnc";
    private static final String PROCESSING = "processing";
    /** The inbox's own folders, beside the list folders. */
    private static final Set<String> OUTCOMES = Set.of(PROCESSING, "done", "failed");

    /** How long a poll may take from moving a file to {@code processing/} to its import's start. */
    private static final Duration LAUNCH_AT_MOST = Duration.ofMinutes(10);
    private static final Pattern MOVED_NAME = Pattern.compile("([0-9]{1,18})-(.+)");

    private final LeadImportLauncher launcher;
    private final LeadListMapper lists;
    private final LeadImportMapper imports;
    private final LeadImportProperties properties;
    private final RejectReport rejectReport;
    private final Clock clock;

    @Autowired
    LeadInbox(LeadImportLauncher launcher, LeadListMapper lists, LeadImportMapper imports,
            LeadImportProperties properties, RejectReport rejectReport) {
        this(launcher, lists, imports, properties, rejectReport, Clock.systemUTC());
    }

    private LeadInbox(LeadImportLauncher launcher, LeadListMapper lists, LeadImportMapper imports,
            LeadImportProperties properties, RejectReport rejectReport, Clock clock) {
        this.launcher = launcher;
        this.lists = lists;
        this.imports = imports;
        this.properties = properties;
        this.rejectReport = rejectReport;
        this.clock = clock;
    }

    /** This inbox as it polls when the clock reads that time (tests: a poll a few minutes later). */
    LeadInbox at(Clock clock) {
        return new LeadInbox(launcher, lists, imports, properties, rejectReport, clock);
    }

    /** At start-up: creates the inbox folder if it is missing, and says (naming it) when the app cannot use it. */
    @EventListener(ApplicationReadyEvent.class)
    void checkFolder() {
        Path inbox = properties.inboxFolder();
        try {
            if (!Files.exists(inbox, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(inbox);
            }
        }
        catch (IOException ex) {
            log.error("Cannot create the inbox folder {}: {}", inbox.toAbsolutePath().normalize(), ex.toString());
            return;
        }
        String unusable = InboxFiles.unusable(inbox);
        if (unusable != null) {
            log.error("{}: leadInboxJob fails until it can", unusable);
        }
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        Path inbox = properties.inboxFolder();
        String unusable = InboxFiles.unusable(inbox);
        if (unusable != null) {
            // not created here: a missing folder at run time is a share not mounted, or a wrong setting
            throw new IllegalStateException(unusable);
        }
        InboxReport report = new InboxReport(contribution);
        Instant settledBefore = clock.instant().minusSeconds(properties.inboxSettleSeconds());
        Path processing = inbox.resolve(PROCESSING);
        if (Files.isDirectory(processing, LinkOption.NOFOLLOW_LINKS)) {
            for (Path folder : entries(processing)) {
                String name = folder.getFileName().toString();
                if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                    handle(report, PROCESSING + "/" + name, () -> resumeFolder(folder, report));
                }
            }
        }
        for (Path entry : entries(inbox)) {
            String name = entry.getFileName().toString();
            if (!OUTCOMES.contains(name) && !InboxFiles.isPartialUpload(name)) {
                handle(report, name, () -> considerEntry(entry, settledBefore, report));
            }
        }
        contribution.setExitStatus(report.exitStatus());
        log.info("Inbox {}: {}", inbox.toAbsolutePath().normalize(), report.summary());
        if (report.hasUnhandled()) {
            throw new IllegalStateException(report.summary());
        }
        return RepeatStatus.FINISHED;
    }

    /** An entry right in the inbox: a list's (or dnc's) folder to import, else reported (a file: to failed/). */
    private Boolean considerEntry(Path entry, Instant settledBefore, InboxReport report) throws Exception {
        String name = entry.getFileName().toString();
        Long listId = target(name);
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) && (listId != null || DNC.equals(name))) {
            for (Path file : entries(entry)) {
                String where = name + "/" + file.getFileName();
                if (!InboxFiles.isPartialUpload(file.getFileName().toString())) {
                    handle(report, where, () -> considerFile(file, where, listId, settledBefore, report));
                }
            }
        }
        else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
            report.leftAlone(name, "not a lead list id nor dnc: files go in <inbox>/<listId>/ or <inbox>/dnc/");
        }
        else if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
            report.leftAlone(name, Files.isSymbolicLink(entry) ? "a symbolic link: links are not followed"
                    : "not a regular file");
        }
        else if (InboxFiles.isSettled(entry, settledBefore)) {
            report.leftAlone(name, "not in a list folder: moved to failed/");
            return stray(entry);
        }
        return null;
    }

    /** A file in a list's (or dnc's) folder: imported once settled; what is not a lead file is reported. */
    private Boolean considerFile(Path file, String where, Long listId, Instant settledBefore, InboxReport report)
            throws Exception {
        String folderName = file.getParent().getFileName().toString();
        if (Files.isSymbolicLink(file)) {
            report.leftAlone(where, "a symbolic link: links are not followed; put the file itself here");
        }
        else if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            report.leftAlone(where, "a folder: only the files right in " + folderName + "/ are imported");
        }
        else if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            report.leftAlone(where, "not a regular file");
        }
        else if (!InboxFiles.isSettled(file, settledBefore) && !report.wasPutBack(file)) {
            report.waiting(where);
        }
        else if (!Files.isReadable(file)) {
            report.leftAlone(where, "the app's user may not read it");
        }
        else {
            return importFile(file, listId, report);
        }
        return null;
    }

    private Boolean resumeFolder(Path folder, InboxReport report) throws IOException, InterruptedException {
        for (Path file : entries(folder)) {
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                String where = PROCESSING + "/" + folder.getFileName() + "/" + file.getFileName();
                handle(report, where, () -> resume(file, folder.getFileName().toString(), report));
            }
        }
        return null;
    }

    /** One file's (or folder's) handling; what goes wrong there is reported, and the run goes on with the others. */
    private static void handle(InboxReport report, String where, FileAction action) throws InterruptedException {
        try {
            Boolean imported = action.run();
            report.outcome(imported);
        }
        catch (InterruptedException ex) {
            throw ex;
        }
        catch (NoSuchFileException ex) {
            // gone since the folder was listed: another app instance's poll took it
            log.debug("Inbox {} is gone: {}", where, ex.getMessage());
        }
        catch (Exception ex) {
            log.error("Inbox {} could not be handled; the next run tries again", where, ex);
            report.unhandled(where, ex);
        }
    }

    @FunctionalInterface
    private interface FileAction {
        Boolean run() throws Exception;
    }

    /** A file right in the inbox, in no list's folder: to failed/, saying where it should go. */
    private Boolean stray(Path file) throws IOException {
        Path failed = properties.inboxFolder().resolve("failed");
        Files.createDirectories(failed);
        move(file, "failed", "", InboxFiles.freeName(failed, "0-" + InboxFiles.fitting(file.getFileName().toString())),
                "The file was not in a list folder, so no list was chosen for it: put it in <inbox>/<listId>/ (the "
                + "id of the lead list to import it into) or in <inbox>/dnc/ (do-not-call numbers)");
        return null;
    }

    /** The folder's entries in name order, so that each run reads them alike. */
    private static List<Path> entries(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.sorted().toList();
        }
    }

    /**
     * A file an earlier poll left in {@code processing/}: its import completed or refused it since (a restart by
     * staff, or a crash before the file moved on), stopped on an internal error or in a crash (restarted here), or
     * never started because the launch failed (the file goes back to the inbox, and this poll takes it again).
     * Null when it stays where it is.
     */
    private Boolean resume(Path file, String folder, InboxReport report) throws Exception {
        Long executionId = imports.lastExecutionOfFile(file.toAbsolutePath().toString());
        String name = file.getFileName().toString();
        String where = PROCESSING + "/" + folder + "/" + name;
        if (executionId == null) {
            // named <when it was moved>-<its name>; the poll that moved it may still be launching its import
            Matcher moved = MOVED_NAME.matcher(name);
            if (moved.matches()
                    && Instant.ofEpochMilli(Long.parseLong(moved.group(1)))
                            .isAfter(clock.instant().minus(LAUNCH_AT_MOST))) {
                return null;
            }
            log.warn("Inbox file {} in {} has no import (its launch failed): it goes back to the inbox", name, folder);
            Path back = Files.createDirectories(properties.inboxFolder().resolve(folder))
                    .resolve(moved.matches() ? moved.group(2) : name);
            // a file of that name dropped since is not overwritten
            back = Files.exists(back, LinkOption.NOFOLLOW_LINKS) ? back.resolveSibling(name) : back;
            if (moveIfThere(file, back)) {
                report.putBack(back);
            }
            return null;
        }
        JobExecution execution = launcher.execution(executionId);
        String fileName = execution.getJobParameters().getString("fileName", name);
        switch (execution.getStatus()) {
            case COMPLETED, ABANDONED -> {
                return finish(file, folder, fileName, execution, InboxFiles.state(file), report);
            }
            case STOPPED -> {
                log.warn("Inbox file {} stays in {}: its import (execution {}) was stopped; restart it to import the "
                        + "file", fileName, file, executionId);
                report.leftAlone(where, "its import, execution " + executionId + ", was stopped: restart it to "
                        + "import the file");
                return null;
            }
            default -> {
                if (ImportOutcomeListener.refusedTheFile(execution)) {
                    return finish(file, folder, fileName, execution, InboxFiles.state(file), report);
                }
                return retry(file, folder, fileName, execution, report);
            }
        }
    }

    /** Restarts an import that stopped on an internal error or in a crash, unless it still runs somewhere. */
    private Boolean retry(Path file, String folder, String fileName, JobExecution failed, InboxReport report)
            throws Exception {
        String before = InboxFiles.state(file);
        JobExecution execution;
        try {
            execution = launcher.await(launcher.restart(failed.getId()));
        }
        catch (JobExecutionException ex) {
            return null;   // still running, here or on another app instance
        }
        log.info("Inbox file {} for {}: restarted execution {} {}", fileName, folder, execution.getId(),
                execution.getStatus());
        return finish(file, folder, fileName, execution, before, report);
    }

    /** Imports one settled file; null when another app instance's poll took it first. */
    private Boolean importFile(Path file, Long listId, InboxReport report) throws Exception {
        String folder = listId == null ? DNC : listId.toString();
        String name = file.getFileName().toString();
        if (listId != null && lists.findById(listId).isEmpty()) {
            // no import, so no execution id to tell it from an earlier file of the same name there
            Path failed = Files.createDirectories(properties.inboxFolder().resolve("failed").resolve(folder));
            move(file, "failed", folder, InboxFiles.freeName(failed, "0-" + InboxFiles.fitting(name)), "There is no "
                    + "lead list " + listId
                    + ": put the file in a folder named after an existing list's id, or in dnc/");
            return false;
        }
        Path processing = Files.createDirectories(properties.inboxFolder().resolve(PROCESSING).resolve(folder))
                .resolve(clock.millis() + "-" + InboxFiles.fitting(name));
        try {
            Files.move(file, processing);
        }
        catch (NoSuchFileException ex) {
            return null;   // another instance's poll took it first
        }
        String before = InboxFiles.state(processing);
        JobExecution execution = launcher.run(new LeadImportLauncher.ImportRequest(processing, name, listId, null,
                LeadImportService.dncRegion(listId, properties.inboxDncRegion()), null));
        log.info("Inbox file {} for {}: execution {} {}", name, folder, execution.getId(), execution.getStatus());
        return finish(processing, folder, name, execution, before, report);
    }

    /**
     * Moves an imported file from {@code processing/} to {@code done/} (with its rejected rows beside it, if any)
     * or {@code failed/}, or leaves it there for the restart of an import that stopped on an internal error.
     * {@code before}: its state when the import began. Null when it stays, or another instance moved it on.
     */
    private Boolean finish(Path processing, String folder, String name, JobExecution execution, String before,
            InboxReport report) throws IOException {
        boolean imported = execution.getStatus() == BatchStatus.COMPLETED;
        String target = execution.getId() + "-" + InboxFiles.fitting(name);
        if (!Files.exists(processing, LinkOption.NOFOLLOW_LINKS)) {
            return null;   // another app instance's poll moved it on
        }
        if (!before.equals(InboxFiles.state(processing))) {
            move(processing, "failed", folder, target, "The file changed while it was imported (was it still being "
                    + "copied in?): what was read of it may be incomplete. Put the whole file in the inbox again; "
                    + "leads already imported are dropped as duplicates");
            return false;
        }
        if (execution.getStatus() == BatchStatus.ABANDONED) {
            move(processing, "failed", folder, target, "Its import (execution " + execution.getId() + ") was "
                    + "abandoned: put the file in the inbox again to import it");
            return false;
        }
        if (imported) {
            if (move(processing, "done", folder, target, null)) {
                writeRejects(properties.inboxFolder().resolve("done").resolve(folder).resolve(target), execution);
            }
            return true;
        }
        if (ImportOutcomeListener.refusedTheFile(execution)) {
            move(processing, "failed", folder, target, execution.getExitStatus().getExitDescription());
            return false;
        }
        log.warn("Inbox file {} stays in {}; the next poll restarts execution {}: {}", name, processing,
                execution.getId(), execution.getExitStatus().getExitDescription());
        report.leftAlone(PROCESSING + "/" + folder + "/" + processing.getFileName(), "its import, execution "
                + execution.getId() + ", stopped on an internal error: the next run restarts it");
        return null;
    }

    /** The rejected rows of an imported file, as {@code <its name>.rejects.csv} beside it in done/. */
    private void writeRejects(Path done, JobExecution execution) throws IOException {
        long instanceId = execution.getJobInstance().getInstanceId();
        if (imports.counts(instanceId).rejected() == 0) {
            return;
        }
        try (OutputStream out = Files.newOutputStream(done.resolveSibling(done.getFileName() + ".rejects.csv"))) {
            rejectReport.csv(new LeadImportService.RejectsOf(instanceId, null), out);
        }
    }

    /** False when the file is gone: another app instance's poll moved it first. */
    private boolean move(Path file, String outcome, String folder, String name, String error) throws IOException {
        Path target = properties.inboxFolder().resolve(outcome).resolve(folder);
        Files.createDirectories(target);
        Path moved = target.resolve(name);
        if (!moveIfThere(file, moved)) {
            return false;
        }
        if (error != null) {
            Files.writeString(target.resolve(moved.getFileName() + ".error.txt"), error, StandardCharsets.UTF_8);
        }
        return true;
    }

    /** False when the file is gone: another app instance's poll moved it first. */
    private static boolean moveIfThere(Path file, Path target) throws IOException {
        try {
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
            return true;
        }
        catch (NoSuchFileException ex) {
            return false;
        }
    }

    private static Long target(String folderName) {
        return folderName.matches("[1-9][0-9]{0,17}") ? Long.valueOf(folderName) : null;
    }
}
