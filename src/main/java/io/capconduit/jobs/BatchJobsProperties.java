package io.capconduit.jobs;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the job definitions live.
 *
 * @param definitions folder of {@code *.yml} files, which must exist; when not set, {@code batch-jobs/} of the
 *                    working directory is read, or when there is none the copy packaged on the classpath
 *                    ({@code classpath:batch-jobs/})
 */
@ConfigurationProperties("capconduit.jobs")
public record BatchJobsProperties(String definitions) {
}
