package io.capconduit.leads;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.core.NestedExceptionUtils;

/**
 * What one poll of the inbox did, in words for the leadInboxJob execution: files imported and refused, and what
 * it left where it was and why (a folder, a link, a file still being written, a folder that names no list), so
 * that nothing dropped in the inbox waits there unexplained. It also remembers, for the one poll, the files it put
 * back in the inbox from processing/.
 */
final class InboxReport {

    /** The run's counts (read = files, write = imported, process skip = refused), which the summary reads. */
    private final StepContribution contribution;
    private final List<String> waiting = new ArrayList<>();
    private final List<String> leftAlone = new ArrayList<>();
    private final List<String> unhandled = new ArrayList<>();
    /** Files this poll put back from processing/ into the inbox: complete, though the move made them look new. */
    private final Set<Path> putBack = new HashSet<>();

    InboxReport(StepContribution contribution) {
        this.contribution = contribution;
    }

    /** An import's outcome: imported, refused (moved to failed/), or null when the file is not done with yet. */
    void outcome(Boolean wasImported) {
        if (wasImported != null) {
            contribution.getStepExecution().setReadCount(contribution.getStepExecution().getReadCount() + 1);
            if (wasImported) {
                contribution.incrementWriteCount(1);
            }
            else {
                contribution.incrementProcessSkipCount();
            }
        }
    }

    void putBack(Path file) {
        putBack.add(file.toAbsolutePath().normalize());
    }

    boolean wasPutBack(Path file) {
        return putBack.contains(file.toAbsolutePath().normalize());
    }

    void waiting(String where) {
        waiting.add(where);
    }

    void leftAlone(String where, String why) {
        leftAlone.add(where + " (" + why + ")");
    }

    void unhandled(String where, Exception failure) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
        unhandled.add(where + ": " + cause.getClass().getSimpleName() + " " + cause.getMessage());
    }

    boolean hasUnhandled() {
        return !unhandled.isEmpty();
    }

    String summary() {
        long imported = contribution.getWriteCount();
        StringBuilder text = new StringBuilder("Imported " + imported + (imported == 1 ? " file" : " files")
                + ", refused " + contribution.getProcessSkipCount()
                + " (moved to failed/ with a .error.txt saying why)");
        if (!waiting.isEmpty()) {
            text.append("; changed too recently (still being written?), left for the next run: ")
                    .append(String.join(", ", waiting));
        }
        if (!leftAlone.isEmpty()) {
            text.append(". Not imported: ").append(String.join("; ", leftAlone));
        }
        if (!unhandled.isEmpty()) {
            text.append(". These could not be handled (the log has the details; the next run tries again): ")
                    .append(String.join("; ", unhandled));
        }
        return text.toString();
    }

    ExitStatus exitStatus() {
        return ExitStatus.COMPLETED.addExitDescription(summary());
    }
}
