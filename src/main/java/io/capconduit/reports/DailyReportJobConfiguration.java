package io.capconduit.reports;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import javax.sql.DataSource;

import io.capconduit.jobs.BatchJobLauncher;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * dailyReportJob (scheduled by batch-jobs/dailyReportJob.yml): the previous day's report of every active
 * seller, one workbook each, under {@code <folder>/<date>/}. Parameters (all optional): {@code reportDate}
 * (ISO date; default the day before the scheduled fire time {@code firedAt} in {@code timeZone}, so a restart
 * days later writes the same day), {@code timeZone} (default UTC), {@code folder}
 * (default {@code capconduit.reports.folder}). Each seller's day is read in the seller's own time zone.
 * One seller per chunk: a restart carries on after the last seller written.
 */
@Configuration(proxyBeanMethods = false)
class DailyReportJobConfiguration {

    @Bean
    Job dailyReportJob(JobRepository jobRepository, Step dailyReportStep) {
        return new JobBuilder("dailyReportJob", jobRepository).validator(new DailyReportParameters())
                .start(dailyReportStep).build();
    }

    @Bean
    Step dailyReportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            JdbcPagingItemReader<ReportSeller> dailyReportSellers, DailyReportWriter dailyReportWriter) {
        return new StepBuilder("dailyReportStep", jobRepository).<ReportSeller, ReportSeller>chunk(1)
                .transactionManager(transactionManager)
                .reader(dailyReportSellers)
                .writer(dailyReportWriter)
                .build();
    }

    /**
     * Active sellers by id, one per page: a restart carries on after the id of the last seller written (a cursor
     * would skip as many rows as were read, and skip a seller when one before it was deactivated meanwhile).
     */
    @Bean
    @StepScope
    JdbcPagingItemReader<ReportSeller> dailyReportSellers(DataSource dataSource) throws Exception {
        return new JdbcPagingItemReaderBuilder<ReportSeller>().name("dailyReportSellers")
                .dataSource(dataSource)
                .selectClause("SELECT id, name, time_zone").fromClause("FROM sellers").whereClause("WHERE active")
                .sortKeys(Map.of("id", Order.ASCENDING))
                .pageSize(1)
                .rowMapper(new DataClassRowMapper<>(ReportSeller.class))
                .build();
    }

    @Bean
    @StepScope
    DailyReportWriter dailyReportWriter(CallReports reports, ReportsProperties properties,
            @Value("#{jobParameters['reportDate']}") String reportDate,
            @Value("#{jobParameters['timeZone']}") String timeZone,
            @Value("#{jobParameters['folder']}") String folder,
            @Value("#{jobParameters['" + BatchJobLauncher.FIRED_AT + "']}") String firedAt) {
        ZoneId zone = CallReportRequest.parseZone(timeZone);
        LocalDate day = reportDate == null || reportDate.isBlank() ? dayBefore(firedAt, zone)
                : LocalDate.parse(reportDate.trim());
        Path target = folder == null || folder.isBlank() ? properties.folder() : Path.of(folder.trim());
        return new DailyReportWriter(reports, day, target);
    }

    /** The day before the fire (now, for a run started without one) as the report's zone counts days. */
    private static LocalDate dayBefore(String firedAt, ZoneId zone) {
        Instant fired = firedAt == null || firedAt.isBlank() ? Instant.now() : Instant.parse(firedAt.trim());
        return LocalDate.ofInstant(fired, zone).minusDays(1);
    }
}
