package io.capconduit.jobs;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the job definitions live.
 *
 * @param definitions folder of {@code *.yml} files; when it does not exist, the copy packaged on the
 *                    classpath ({@code classpath:batch-jobs/}) is read instead
 */
@ConfigurationProperties("capconduit.jobs")
public record BatchJobsProperties(@DefaultValue("batch-jobs") String definitions) {
}
