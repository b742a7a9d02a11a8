package io.capconduit.jobs;

import java.util.Set;
import java.util.TreeSet;

import org.springframework.batch.core.job.Job;

/**
 * A job parameters validator that knows every parameter its job reads: a {@code batch-jobs} file naming
 * another (a misspelt {@code gracesSeconds}) stops start-up instead of being ignored at every run. A job
 * whose validator declares nothing reads no parameter of its own: only the {@code firedAt} every run gets.
 */
public interface DeclaredParameters {

    Set<String> parameterNames();

    /** The parameters {@code job} reads: its validator's, none when the validator does not declare them. */
    static Set<String> of(Job job) {
        return job.getJobParametersValidator() instanceof DeclaredParameters declared ? declared.parameterNames()
                : Set.of();
    }

    /** Says which parameters {@code job} reads, for a message refusing another. */
    static String readBy(Job job) {
        Set<String> names = of(job);
        return names.isEmpty() ? "it reads none" : "it reads " + new TreeSet<>(names);
    }
}
