package io.capconduit.jobs;

import java.util.Set;

/**
 * A job parameters validator that knows every parameter its job reads: a {@code batch-jobs} file naming
 * another (a misspelt {@code gracesSeconds}) stops start-up instead of being ignored at every run.
 */
public interface DeclaredParameters {

    Set<String> parameterNames();
}
