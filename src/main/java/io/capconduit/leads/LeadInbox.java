package io.capconduit.leads;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobExecutionException;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.stereotype.Component;

/**
 * The inbox folder: {@code <inbox>/<listId>/*} imports into that lead list, {@code <inbox>/dnc/*} into the DNC
 * list. A file is taken once it is settled: not a partial upload's name ({@code .part}, {@code .filepart},
 * {@code .tmp}, {@code .crdownload}, {@code .*}, {@code ~$*}), a regular file (no symlink) inside the inbox, not
 * modified for the settle time. That is decided from the file alone, not from an earlier poll, so any app
 * instance takes it at its first poll after it is complete, restarts or not. It then moves to
 * {@code processing/<listId>/} and is imported from there, so a restart of its import (after an internal error
 * or a crash of the server) finds it. After its import it moves to {@code done/<listId>/} or, when refused,
 * {@code failed/<listId>/} (with a {@code .error.txt} saying why), prefixed by the execution id; after an
 * internal error it stays in {@code processing/}, and each poll first settles what is there: it restarts the
 * import (unless it runs or was stopped), moves the file on once a restart by staff ended it, and puts a file whose
 * import never started (the launch failed) back in the inbox. A file that changed while it was imported goes to
 * {@code failed/}. Counts: read = files, write = imported, process skip = failed.
 */
@Component
class LeadInbox implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(LeadInbox.class);
    private static final String DNC = "dnc";
    private static final String PROCESSING = "processing";
    private static final Set<String> PARTIAL_UPLOADS = Set.of(".filepart", ".part", ".tmp", ".crdownload");

    /** How long a poll may take from moving a file to {@code processing/} to its import's start. */
    private static final Duration LAUNCH_AT_MOST = Duration.ofMinutes(10);
    private static final Pattern MOVED_NAME = Pattern.compile("([0-9]{1,18})-(.+)");

    private final LeadImportLauncher launcher;
    private final LeadListMapper lists;
    private final LeadImportMapper imports;
    private final LeadImportProperties properties;

    LeadInbox(LeadImportLauncher launcher, LeadListMapper lists, LeadImportMapper imports,
            LeadImportProperties properties) {
        this.launcher = launcher;
        this.lists = lists;
        this.imports = imports;
        this.properties = properties;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        Path inbox = properties.inboxFolder();
        if (!Files.isDirectory(inbox)) {
            return RepeatStatus.FINISHED;
        }
        Path realInbox = inbox.toRealPath();
        Instant settledBefore = Instant.now().minusSeconds(properties.inboxSettleSeconds());
        Path processing = inbox.resolve(PROCESSING);
        if (Files.isDirectory(processing, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> folders = Files.newDirectoryStream(processing,
                    folder -> Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS))) {
                for (Path folder : folders) {
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder,
                            file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))) {
                        for (Path file : files) {
                            count(contribution, resume(file, folder.getFileName().toString()));
                        }
                    }
                }
            }
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(inbox,
                folder -> Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS))) {
            for (Path folder : folders) {
                Long listId = target(folder.getFileName().toString());
                if (listId == null && !DNC.equals(folder.getFileName().toString())) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(folder,
                        file -> isSettledFile(file, realInbox, settledBefore))) {
                    for (Path file : files) {
                        count(contribution, importFile(file, listId));
                    }
                }
            }
        }
        return RepeatStatus.FINISHED;
    }

    private static void count(StepContribution contribution, Boolean imported) {
        if (imported != null) {
            contribution.getStepExecution().setReadCount(contribution.getStepExecution().getReadCount() + 1);
            if (imported) {
                contribution.incrementWriteCount(1);
            }
            else {
                contribution.incrementProcessSkipCount();
            }
        }
    }

    /**
     * A file an earlier poll left in {@code processing/}: its import completed or refused it since (a restart by
     * staff), stopped on an internal error or in a crash (restarted here), or never started because the launch
     * failed (the file goes back to the inbox, and this poll takes it again). Null when it stays where it is.
     */
    private Boolean resume(Path file, String folder) throws Exception {
        Long executionId = imports.lastExecutionOfFile(file.toAbsolutePath().toString());
        String name = file.getFileName().toString();
        if (executionId == null) {
            // named <when it was moved>-<its name>; the poll that moved it may still be launching its import
            Matcher moved = MOVED_NAME.matcher(name);
            if (moved.matches()
                    && Instant.ofEpochMilli(Long.parseLong(moved.group(1))).isAfter(Instant.now().minus(LAUNCH_AT_MOST))) {
                return null;
            }
            log.warn("Inbox file {} in {} has no import (its launch failed): it goes back to the inbox", name, folder);
            Path back = Files.createDirectories(properties.inboxFolder().resolve(folder))
                    .resolve(moved.matches() ? moved.group(2) : name);
            // a file of that name dropped since is not overwritten
            moveIfThere(file, Files.exists(back, LinkOption.NOFOLLOW_LINKS) ? back.resolveSibling(name) : back);
            return null;
        }
        JobExecution execution = launcher.execution(executionId);
        String fileName = execution.getJobParameters().getString("fileName", name);
        switch (execution.getStatus()) {
            case COMPLETED, ABANDONED -> {
                return finish(file, folder, fileName, execution, state(file));
            }
            case STOPPED -> {
                log.warn("Inbox file {} stays in {}: its import (execution {}) was stopped; restart it to import the "
                        + "file", fileName, file, executionId);
                return null;
            }
            default -> {
                if (ImportOutcomeListener.refusedTheFile(execution)) {
                    return finish(file, folder, fileName, execution, state(file));
                }
                return retry(file, folder, fileName, execution);
            }
        }
    }

    /** Restarts an import that stopped on an internal error or in a crash, unless it still runs somewhere. */
    private Boolean retry(Path file, String folder, String fileName, JobExecution failed) throws Exception {
        String before = state(file);
        JobExecution execution;
        try {
            execution = launcher.await(launcher.restart(failed.getId()));
        }
        catch (JobExecutionException ex) {
            return null;   // still running, here or on another app instance
        }
        log.info("Inbox file {} for {}: restarted execution {} {}", fileName, folder, execution.getId(),
                execution.getStatus());
        return finish(file, folder, fileName, execution, before);
    }

    private boolean importFile(Path file, Long listId) throws Exception {
        String folder = listId == null ? DNC : listId.toString();
        String name = file.getFileName().toString();
        if (listId != null && lists.findById(listId).isEmpty()) {
            // no import, so no execution id to tell it from an earlier file of the same name there
            Path failed = properties.inboxFolder().resolve("failed").resolve(folder);
            move(file, "failed", folder, freeName(failed, "0-" + name), "There is no lead list " + listId
                    + ": put the file in a folder named after an existing list id, or in dnc/");
            return false;
        }
        Path processing = Files.createDirectories(properties.inboxFolder().resolve(PROCESSING).resolve(folder))
                .resolve(System.currentTimeMillis() + "-" + name);
        try {
            Files.move(file, processing);
        }
        catch (NoSuchFileException ex) {
            return false;   // another instance's poll took it first
        }
        String before = state(processing);
        JobExecution execution = launcher.run(new LeadImportLauncher.ImportRequest(processing, name, listId, null,
                LeadImportService.dncRegion(listId, properties.inboxDncRegion()), null));
        log.info("Inbox file {} for {}: execution {} {}", name, folder, execution.getId(), execution.getStatus());
        return finish(processing, folder, name, execution, before);
    }

    /**
     * Moves an imported file from {@code processing/} to {@code done/} or {@code failed/}, or leaves it there for
     * the restart of an import that stopped on an internal error. {@code before}: its state when the import began.
     */
    private boolean finish(Path processing, String folder, String name, JobExecution execution, String before)
            throws IOException {
        boolean imported = execution.getStatus() == BatchStatus.COMPLETED;
        String target = execution.getId() + "-" + name;
        if (!Files.exists(processing, LinkOption.NOFOLLOW_LINKS)) {
            return imported;   // another app instance's poll moved it on
        }
        if (!before.equals(state(processing))) {
            move(processing, "failed", folder, target, "The file changed while it was imported (was it still being "
                    + "copied in?): what was read of it may be incomplete. Put the whole file in the inbox again; "
                    + "leads already imported are dropped as duplicates");
            return false;
        }
        if (execution.getStatus() == BatchStatus.ABANDONED) {
            move(processing, "failed", folder, target, "Its import (execution " + execution.getId() + ") was "
                    + "abandoned: put the file in the inbox again to import it");
        }
        else if (imported || ImportOutcomeListener.refusedTheFile(execution)) {
            move(processing, imported ? "done" : "failed", folder, target,
                    imported ? null : execution.getExitStatus().getExitDescription());
        }
        else {
            log.warn("Inbox file {} stays in {}; the next poll restarts execution {}: {}", name, processing,
                    execution.getId(), execution.getExitStatus().getExitDescription());
        }
        return imported;
    }

    private void move(Path file, String outcome, String folder, String name, String error) throws IOException {
        Path target = properties.inboxFolder().resolve(outcome).resolve(folder);
        Files.createDirectories(target);
        Path moved = target.resolve(name);
        if (!moveIfThere(file, moved)) {
            return;
        }
        if (error != null) {
            Files.writeString(target.resolve(moved.getFileName() + ".error.txt"), error, StandardCharsets.UTF_8);
        }
    }

    /** The name, or the first of "name (2)", "name (3)", ... (before its extension) not taken in the folder. */
    private static String freeName(Path folder, String name) {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        String free = name;
        for (int n = 2; Files.exists(folder.resolve(free), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(folder.resolve(free + ".error.txt"), LinkOption.NOFOLLOW_LINKS); n++) {
            free = stem + " (" + n + ")" + extension;
        }
        return free;
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

    private static boolean isSettledFile(Path file, Path realInbox, Instant settledBefore) throws IOException {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        int dot = lower.lastIndexOf('.');
        if (name.startsWith(".") || name.startsWith("~$") || dot >= 0 && PARTIAL_UPLOADS.contains(lower.substring(dot))
                || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !file.toRealPath().startsWith(realInbox)) {
            return false;
        }
        // a copy under way keeps moving the time forward; tools that keep the original's time (cp -p, scp -p, rsync
        // -t) set it after the last byte
        return !Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant().isAfter(settledBefore);
    }

    /** Size and modification time: what changes while a file is still being written. */
    private static String state(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return attributes.size() + "@" + attributes.lastModifiedTime().toMillis();
    }

    private static Long target(String folderName) {
        return folderName.matches("[1-9][0-9]{0,17}") ? Long.valueOf(folderName) : null;
    }
}
