package io.capconduit.leads;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Collectors;

import io.capconduit.accounts.AuthenticatedUser;
import io.capconduit.jobs.JobExecutionChanges;
import io.capconduit.jobs.RestartRefusal;
import io.capconduit.system.FolderFiles;
import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;
import reactor.core.publisher.Flux;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * The ways into an import (upload, a file in the server folder, a restart) and what a caller may see of one.
 * Staff and admins import into any list and into the DNC list; a seller only into its own lists.
 */
@Service
class LeadImportService {

    private final LeadImportLauncher launcher;
    private final LeadListMapper lists;
    private final LeadImportMapper imports;
    private final LeadImportProperties properties;
    private final StoredUploads uploads;
    private final ImportRestartRefusal restartRefusal;
    private final JobExecutionChanges changes;

    LeadImportService(LeadImportLauncher launcher, LeadListMapper lists, LeadImportMapper imports,
            LeadImportProperties properties, StoredUploads uploads, ImportRestartRefusal restartRefusal,
            JobExecutionChanges changes) {
        this.launcher = launcher;
        this.lists = lists;
        this.imports = imports;
        this.properties = properties;
        this.uploads = uploads;
        this.restartRefusal = restartRefusal;
        this.changes = changes;
    }

    /** A column mapping as the job takes it: {@code phone=Cell Number,first_name=Given}. */
    record ColumnChoice(LeadField field, String column) {

        static String joined(List<ColumnChoice> choices) {
            if (choices == null) {
                return null;
            }
            for (ColumnChoice choice : choices) {
                if (choice.column() == null || choice.column().isBlank() || choice.column().contains(",")) {
                    throw new InvalidInputException("mapping", "each column must be a header text without commas");
                }
            }
            return choices.stream().map(c -> c.field().label() + "=" + c.column().strip())
                    .collect(Collectors.joining(","));
        }
    }

    /**
     * Imports an upload into the list, or into the DNC list ({@code listId} null) with its numbers read in
     * {@code dncRegion} (US if null; a list's import reads them in the list's region).
     */
    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF', 'SELLER')")
    public LeadImportStatus upload(Long listId, String fileName, InputStream content, String mapping,
            String dncRegion, AuthenticatedUser user) throws Exception {
        if (listId == null) {
            requireStaff(user, "the DNC list");
        }
        else {
            checkList(listId, user);
        }
        String region = dncRegion(listId, dncRegion);
        Path stored = uploads.store(displayName(fileName).replaceAll("[^A-Za-z0-9._-]", "_"), content);
        try {
            return start(new LeadImportLauncher.ImportRequest(stored, displayName(fileName), listId, mapping, region,
                    null));
        }
        catch (Exception ex) {
            uploads.delete(stored.toString());   // no import will ever read it
            throw ex;
        }
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    public LeadImportStatus importServerFile(Long listId, String path, String mapping, String dncRegion,
            AuthenticatedUser user) throws Exception {
        if (listId != null) {
            checkList(listId, user);
        }
        String region = dncRegion(listId, dncRegion);
        Path file = insideServerFolder(path);
        return start(new LeadImportLauncher.ImportRequest(file, file.getFileName().toString(), listId, mapping, region,
                null));
    }

    /** The region a DNC import reads numbers without a country code in; null for a list's import. */
    static String dncRegion(Long listId, String region) {
        return listId != null ? null : PhoneNumbers.region("region", region == null ? "US" : region);
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    public LeadImportStatus restart(long executionId, AuthenticatedUser user) throws Exception {
        JobExecution latest = launcher.latest(importExecution(executionId, user));
        RestartRefusal.endedForGood(latest).ifPresent(ended -> {
            throw new InvalidInputException("executionId", "this import " + ended + " (execution " + latest.getId()
                    + "): there is nothing to restart; import the file again to read it anew");
        });
        restartRefusal.refusal(latest).ifPresent(reason -> {
            throw new InvalidInputException("executionId", reason);
        });
        try {
            return status(launcher.restart(executionId).getId(), user);
        }
        catch (org.springframework.batch.core.launch.JobRestartException ex) {
            throw new InvalidInputException("executionId", "this import cannot be restarted: " + ex.getMessage());
        }
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF', 'SELLER')")
    public LeadImportStatus status(long executionId, AuthenticatedUser user) {
        JobExecution execution = importExecution(executionId, user);
        JobExecution latest = launcher.latest(execution);
        LeadImportMapper.Counts counts = imports.counts(execution.getJobInstance().getInstanceId());
        String base = "/api/leads/import/" + latest.getId() + "/rejects";
        String fileName = execution.getJobParameters().getString("fileName");
        return new LeadImportStatus(latest.getId(), execution.getJobInstance().getJobName(),
                execution.getJobParameters().getLong("listId"), fileName, latest.getStatus().name(),
                message(latest, fileName, user), counts.rowsRead(),
                counts.imported(), counts.duplicates(), counts.rejected(), instant(latest.getStartTime()),
                instant(latest.getEndTime()), base + ".csv", base + ".xlsx");
    }

    /**
     * The import's status now, then after each change of its newest execution (rows read as the file is staged,
     * then what the merge made of them), until that execution has ended. Visible to whom {@link #status} is; the
     * caller is checked here, once, for the reads that follow run on other threads.
     */
    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF', 'SELLER')")
    public Flux<LeadImportStatus> progress(long executionId, AuthenticatedUser user) {
        long newest = status(executionId, user).executionId();
        return changes.follow(newest, () -> status(executionId, user),
                status -> !BatchStatus.valueOf(status.status()).isRunning());
    }

    /**
     * The outcome in words for this caller. A run that failed on an internal error (or in a crash) tells staff to
     * restart it; a seller cannot, so it is told what it can do instead.
     */
    private static String message(JobExecution latest, String fileName, AuthenticatedUser user) {
        if (user.sellerScope() != null && latest.getStatus() == BatchStatus.FAILED
                && !ImportOutcomeListener.refusedTheFile(latest)) {
            return "The import of " + fileName + " stopped on an internal error: ask staff to restart it (it then "
                    + "continues after the last committed chunk), or import the file again (leads already imported "
                    + "are dropped as duplicates)";
        }
        if (user.sellerScope() != null && latest.getStatus() == BatchStatus.STOPPED) {
            return "The import of " + fileName + " was stopped (by staff, or the application shutting down): ask staff "
                    + "to restart it (it then continues after the last committed chunk), or import the file again "
                    + "(leads already imported are dropped as duplicates)";
        }
        return latest.getExitStatus().getExitDescription();
    }

    /** Whose rejects a report lists: the import's job instance, and why its file was refused (null if it was not). */
    record RejectsOf(long instanceId, String refusal) {
    }

    /** The rejects the caller may read: of the import's job instance, or its refusal when the file was refused. */
    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF', 'SELLER')")
    public RejectsOf rejectsOf(long executionId, AuthenticatedUser user) {
        JobExecution execution = importExecution(executionId, user);
        JobExecution latest = launcher.latest(execution);
        return new RejectsOf(execution.getJobInstance().getInstanceId(), ImportOutcomeListener.refusedTheFile(latest)
                ? latest.getExitStatus().getExitDescription() : null);
    }

    private JobExecution importExecution(long executionId, AuthenticatedUser user) {
        JobExecution execution = launcher.execution(executionId);
        if (execution == null || !isImport(execution.getJobInstance().getJobName())) {
            throw new NotFoundException("Lead import", executionId);
        }
        // a DNC import, or an import into another seller's list, answers a seller exactly like a missing id: the
        // answer tells it neither which ids are DNC imports nor which lists are another seller's
        Long listId = execution.getJobParameters().getLong("listId");
        Long scope = user.sellerScope();
        boolean visible = listId == null ? scope == null
                : lists.findById(listId).filter(list -> scope == null || scope.equals(list.sellerId())).isPresent();
        if (!visible) {
            throw new NotFoundException("Lead import", executionId);
        }
        return execution;
    }

    private static boolean isImport(String jobName) {
        return LeadImportJobConfiguration.LEAD_JOB.equals(jobName) || LeadImportJobConfiguration.DNC_JOB.equals(jobName);
    }

    private LeadImportStatus start(LeadImportLauncher.ImportRequest request) throws Exception {
        JobExecution execution = launcher.start(request);
        return new LeadImportStatus(execution.getId(), execution.getJobInstance().getJobName(), request.listId(),
                request.fileName(), execution.getStatus().name(), null, 0, 0, 0, 0,
                instant(execution.getStartTime()), null, "/api/leads/import/" + execution.getId() + "/rejects.csv",
                "/api/leads/import/" + execution.getId() + "/rejects.xlsx");
    }

    private void checkList(long listId, AuthenticatedUser user) {
        // another seller's list answers exactly like a missing one, so the answer reveals nothing
        Long scope = user.sellerScope();
        lists.findById(listId).filter(list -> scope == null || scope.equals(list.sellerId()))
                .orElseThrow(() -> new NotFoundException("Lead list", listId));
    }

    private static void requireStaff(AuthenticatedUser user, String what) {
        if (user.sellerScope() != null) {
            throw new AccessDeniedException("Only staff may import into " + what);
        }
    }

    Path insideServerFolder(String path) throws IOException {
        if (path == null || path.isBlank()) {
            throw new InvalidInputException("path", "must name a file in the import folder");
        }
        Path file;
        try {
            file = FolderFiles.inside(properties.serverFolder(), path);
        }
        catch (InvalidPathException ex) {   // a NUL character, say
            throw new InvalidInputException("path", "is not a file name: " + ex.getReason());
        }
        if (file == null || !Files.isRegularFile(file)) {
            throw new InvalidInputException("path", "must name an existing file inside the import folder "
                    + "(capconduit.lead-import.server-folder), e.g. leads/march.xlsx");
        }
        return file;
    }

    /** The last part of the name the client sent, "upload" when it has none ("", "/", "..", a NUL inside). */
    private static String displayName(String fileName) {
        String name = fileName == null ? "" : fileName.replace('\\', '/').replace("\u0000", "");
        name = name.substring(name.lastIndexOf('/') + 1).strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            name = "upload";
        }
        return name.length() > 120 ? name.substring(name.length() - 120) : name;
    }

    private static java.time.Instant instant(LocalDateTime time) {
        return time == null ? null : time.atZone(java.time.ZoneId.systemDefault()).toInstant();
    }
}
