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
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
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
 * or a crash of the server) finds it; a file in {@code processing/} belongs to an execution and is never
 * imported again by a poll. After its import it moves to {@code done/<listId>/} or, when refused,
 * {@code failed/<listId>/} (with a {@code .error.txt} saying why), prefixed by the execution id; after an
 * internal error it stays in {@code processing/} for the restart. A file that changed while it was imported
 * goes to {@code failed/}. Counts: read = files, write = imported, process skip = failed.
 */
@Component
class LeadInbox implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(LeadInbox.class);
    private static final String DNC = "dnc";
    private static final String PROCESSING = "processing";
    private static final Set<String> PARTIAL_UPLOADS = Set.of(".filepart", ".part", ".tmp", ".crdownload");

    private final LeadImportLauncher launcher;
    private final LeadListMapper lists;
    private final LeadImportProperties properties;

    LeadInbox(LeadImportLauncher launcher, LeadListMapper lists, LeadImportProperties properties) {
        this.launcher = launcher;
        this.lists = lists;
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
                        contribution.getStepExecution().setReadCount(contribution.getStepExecution().getReadCount() + 1);
                        if (importFile(file, listId)) {
                            contribution.incrementWriteCount(1);
                        }
                        else {
                            contribution.incrementProcessSkipCount();
                        }
                    }
                }
            }
        }
        return RepeatStatus.FINISHED;
    }

    private boolean importFile(Path file, Long listId) throws Exception {
        String folder = listId == null ? DNC : listId.toString();
        String name = file.getFileName().toString();
        if (listId != null && lists.findById(listId).isEmpty()) {
            move(file, "failed", folder, "0-" + name, "There is no lead list " + listId + ": put the file in a folder "
                    + "named after an existing list id, or in dnc/");
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
                null, null));
        boolean imported = execution.getStatus() == BatchStatus.COMPLETED;
        log.info("Inbox file {} for {}: execution {} {}", name, folder, execution.getId(), execution.getStatus());
        String target = execution.getId() + "-" + name;
        if (!before.equals(state(processing))) {
            move(processing, "failed", folder, target, "The file changed while it was imported (was it still being "
                    + "copied in?): what was read of it may be incomplete. Put the whole file in the inbox again; "
                    + "leads already imported are dropped as duplicates");
            return false;
        }
        if (imported || ImportOutcomeListener.refusedTheFile(execution)) {
            move(processing, imported ? "done" : "failed", folder, target,
                    imported ? null : execution.getExitStatus().getExitDescription());
        }
        else {
            log.warn("Inbox file {} stays in {} for the restart of execution {}: {}", name, processing,
                    execution.getId(), execution.getExitStatus().getExitDescription());
        }
        return imported;
    }

    private void move(Path file, String outcome, String folder, String name, String error) throws IOException {
        Path target = properties.inboxFolder().resolve(outcome).resolve(folder);
        Files.createDirectories(target);
        Path moved = target.resolve(name);
        Files.move(file, moved, StandardCopyOption.REPLACE_EXISTING);
        if (error != null) {
            Files.writeString(target.resolve(moved.getFileName() + ".error.txt"), error, StandardCharsets.UTF_8);
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
