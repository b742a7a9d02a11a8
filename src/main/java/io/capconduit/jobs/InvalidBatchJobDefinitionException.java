package io.capconduit.jobs;

/** A {@code batch-jobs/} file that cannot be scheduled; the message names the file and the field. */
public class InvalidBatchJobDefinitionException extends RuntimeException {

    InvalidBatchJobDefinitionException(String file, String field, String problem) {
        super("batch-jobs file " + file + ", field " + field + ": " + problem);
    }
}
