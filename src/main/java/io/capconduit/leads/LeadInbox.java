package io.capconduit.leads;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;

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
 * list. After its import a file moves to {@code done/<listId>/} or {@code failed/<listId>/} (with a
 * {@code .error.txt} saying why), prefixed by the execution id. Counts: read = files, write = imported,
 * process skip = failed.
 */
@Component
class LeadInbox implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(LeadInbox.class);
    private static final String DNC = "dnc";

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
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(inbox, Files::isDirectory)) {
            for (Path folder : folders) {
                Long listId = target(folder.getFileName().toString());
                if (listId == null && !DNC.equals(folder.getFileName().toString())) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, this::isSettledFile)) {
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
        if (listId != null && lists.findById(listId).isEmpty()) {
            move(file, "failed", folder, "0", "There is no lead list " + listId + ": put the file in a folder named "
                    + "after an existing list id, or in dnc/");
            return false;
        }
        JobExecution execution = launcher.run(new LeadImportLauncher.ImportRequest(file, file.getFileName().toString(),
                listId, null, null, null));
        boolean imported = execution.getStatus() == BatchStatus.COMPLETED;
        log.info("Inbox file {} for {}: execution {} {}", file.getFileName(), folder, execution.getId(),
                execution.getStatus());
        move(file, imported ? "done" : "failed", folder, String.valueOf(execution.getId()),
                imported ? null : execution.getExitStatus().getExitDescription());
        return imported;
    }

    private void move(Path file, String outcome, String folder, String executionId, String error) throws IOException {
        Path target = properties.inboxFolder().resolve(outcome).resolve(folder);
        Files.createDirectories(target);
        Path moved = target.resolve(executionId + "-" + file.getFileName());
        Files.move(file, moved, StandardCopyOption.REPLACE_EXISTING);
        if (error != null) {
            Files.writeString(target.resolve(moved.getFileName() + ".error.txt"), error, StandardCharsets.UTF_8);
        }
    }

    private boolean isSettledFile(Path file) throws IOException {
        return Files.isRegularFile(file) && !file.getFileName().toString().startsWith(".")
                && Files.getLastModifiedTime(file).toInstant()
                        .isBefore(Instant.now().minus(Duration.ofSeconds(properties.inboxSettleSeconds())));
    }

    private static Long target(String folderName) {
        return folderName.matches("[1-9][0-9]{0,17}") ? Long.valueOf(folderName) : null;
    }
}
