package io.capconduit.leads;

import java.nio.file.Path;

import javax.sql.DataSource;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.DefaultJobParametersValidator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * leadImportJob and dncImportJob: stage the file chunk by chunk (restartable), then merge it in one
 * transaction. Parameters: {@code file} (path), {@code listId} (leads only), {@code importId} (makes every
 * import its own instance), {@code fileName}, {@code mapping}, {@code region} (DNC only), {@code chunkSize}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LeadImportProperties.class)
class LeadImportJobConfiguration {

    static final String LEAD_JOB = "leadImportJob";
    static final String DNC_JOB = "dncImportJob";

    @Bean
    Job leadImportJob(JobRepository repository, Step leadImportStage, Step leadImportMerge,
            ImportOutcomeListener outcome) {
        return new JobBuilder(LEAD_JOB, repository).listener(outcome)
                .validator(new DefaultJobParametersValidator(new String[] { "file", "listId" }, new String[0]))
                .start(leadImportStage).next(leadImportMerge).build();
    }

    @Bean
    Job dncImportJob(JobRepository repository, Step dncImportStage, Step dncImportMerge,
            ImportOutcomeListener outcome) {
        return new JobBuilder(DNC_JOB, repository).listener(outcome)
                .validator(new DefaultJobParametersValidator(new String[] { "file" }, new String[0]))
                .start(dncImportStage).next(dncImportMerge).build();
    }

    @Bean
    Step leadImportStage(JobRepository repository, PlatformTransactionManager transactions,
            StagingTasklet leadStagingTasklet) {
        return new StepBuilder("leadImportStage", repository).tasklet(leadStagingTasklet, transactions)
                .listener(leadStagingTasklet).build();
    }

    @Bean
    Step dncImportStage(JobRepository repository, PlatformTransactionManager transactions,
            StagingTasklet dncStagingTasklet) {
        return new StepBuilder("dncImportStage", repository).tasklet(dncStagingTasklet, transactions)
                .listener(dncStagingTasklet).build();
    }

    @Bean
    Step leadImportMerge(JobRepository repository, PlatformTransactionManager transactions,
            LeadMergeTasklet leadMergeTasklet) {
        return new StepBuilder("leadImportMerge", repository).tasklet(leadMergeTasklet, transactions).build();
    }

    @Bean
    Step dncImportMerge(JobRepository repository, PlatformTransactionManager transactions,
            DncMergeTasklet dncMergeTasklet) {
        return new StepBuilder("dncImportMerge", repository).tasklet(dncMergeTasklet, transactions).build();
    }

    @Bean
    @StepScope
    StagingTasklet leadStagingTasklet(DataSource dataSource, PhoneNumbers phones, LeadListMapper lists,
            LeadImportProperties properties, @Value("#{jobParameters['file']}") String file,
            @Value("#{jobParameters['listId']}") Long listId, @Value("#{jobParameters['mapping']}") String mapping,
            @Value("#{jobParameters['chunkSize']}") Long chunkSize) {
        String region = lists.findById(listId).map(LeadList::defaultRegion).orElse("US");
        return new StagingTasklet(dataSource, phones, Path.of(file), mapping, region,
                chunkSize == null ? properties.chunkSize() : chunkSize.intValue(), true);
    }

    @Bean
    @StepScope
    StagingTasklet dncStagingTasklet(DataSource dataSource, PhoneNumbers phones, LeadImportProperties properties,
            @Value("#{jobParameters['file']}") String file, @Value("#{jobParameters['region']}") String region,
            @Value("#{jobParameters['mapping']}") String mapping, @Value("#{jobParameters['chunkSize']}") Long chunkSize) {
        return new StagingTasklet(dataSource, phones, Path.of(file), mapping, region == null ? "US" : region,
                chunkSize == null ? properties.chunkSize() : chunkSize.intValue(), false);
    }

    @Bean
    @StepScope
    LeadMergeTasklet leadMergeTasklet(JdbcTemplate jdbc, LeadMergeParts parts,
            @Value("#{jobParameters['listId']}") Long listId) {
        return new LeadMergeTasklet(jdbc, parts, listId);
    }

    @Bean
    @StepScope
    DncMergeTasklet dncMergeTasklet(JdbcTemplate jdbc, @Value("#{jobParameters['fileName']}") String fileName) {
        return new DncMergeTasklet(jdbc, fileName);
    }
}
