package io.capconduit.jobs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.CronExpression;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.DefaultJobParametersValidator;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchJobDefinitionsTests {

    private static final String VALID = """
            job: cdrReconciliationJob
            description: Turns new CDR rows into call logs
            schedule:
              cron: "0/30 * * * * ?"
              time-zone: America/New_York
            parameters:
              graceSeconds: "120"
            """;

    @Test
    void readsAFile() throws IOException {
        BatchJobDefinition definition = read("cdr.yml", VALID);

        assertThat(definition.job()).isEqualTo("cdrReconciliationJob");
        assertThat(definition.enabled()).isTrue();
        assertThat(definition.timeZone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(definition.parameters()).isEqualTo(Map.of("graceSeconds", "120"));
    }

    @Test
    void theProjectsOwnFilesAreValid() {
        assertThat(BatchJobDefinitions.load("batch-jobs")).extracting(BatchJobDefinition::job)
                .contains("cdrReconciliationJob", "capResetJob", "routeClaimPurgeJob", "clickToCallPurgeJob",
                        "cdrPurgeJob", "outboundQueuePurgeJob", "dailyReportPurgeJob", "leadImportFilePurgeJob");
    }

    /**
     * The nightly report reads "yesterday" of each seller in the seller's own zone: it must fire after that day has
     * ended in every inhabited zone (UTC-11 in American Samoa), with time for the day's last CDRs to become call logs.
     */
    @Test
    void theNightlyReportFiresOnceYesterdayIsOverEverywhere() throws Exception {
        BatchJobDefinition report = BatchJobDefinitions.load("batch-jobs").stream()
                .filter(definition -> definition.job().equals("dailyReportJob")).findFirst().orElseThrow();
        CronExpression cron = new CronExpression(report.cron());
        cron.setTimeZone(TimeZone.getTimeZone(report.timeZone()));
        ZoneId reportZone = ZoneId.of(report.parameters().getOrDefault("timeZone", "UTC"));
        List<ZoneId> inhabited = ZoneId.getAvailableZoneIds().stream().filter(id -> id.contains("/")
                && !id.startsWith("Etc/") && !id.startsWith("SystemV/")).map(ZoneId::of).toList();
        Date after = Date.from(Instant.parse("2026-01-01T00:00:00Z"));
        for (int day = 0; day < 366; day++) {
            Instant fired = cron.getNextValidTimeAfter(after).toInstant();
            LocalDate yesterday = fired.atZone(reportZone).toLocalDate().minusDays(1);
            for (ZoneId zone : inhabited) {
                Instant over = yesterday.plusDays(1).atStartOfDay(zone).toInstant();
                assertThat(fired).as("%s: %s in %s", fired, yesterday, zone)
                        .isAfterOrEqualTo(over.plus(Duration.ofMinutes(10)));
            }
            after = Date.from(fired);
        }
    }

    @Test
    void aBadCronNamesFileAndField() {
        assertThatThrownBy(() -> read("bad-cron.yml", VALID.replace("0/30 * * * * ?", "every minute")))
                .isInstanceOf(InvalidBatchJobDefinitionException.class)
                .hasMessageContaining("bad-cron.yml").hasMessageContaining("schedule.cron");
    }

    /** Quartz's own reason says what to change: "0 0 2 * * *" needs a '?' in one of its day fields. */
    @Test
    void aBadCronSaysWhyQuartzRefusesIt() {
        assertThatThrownBy(() -> read("both-days.yml", VALID.replace("0/30 * * * * ?", "0 0 2 * * *")))
                .isInstanceOf(InvalidBatchJobDefinitionException.class)
                .hasMessageStartingWith("batch-jobs file both-days.yml, field schedule.cron: '0 0 2 * * *' is not a "
                        + "Quartz cron expression")
                .hasMessageContaining("day-of-week AND a day-of-month parameter is not implemented");
    }

    /** Quartz would refuse its trigger only while start-up replaces the stored ones, with no file named. */
    @Test
    void aCronThatNeverFiresNamesFileAndField() {
        assertThatThrownBy(() -> read("february.yml", VALID.replace("0/30 * * * * ?", "0 0 0 30 2 ?")))
                .isInstanceOf(InvalidBatchJobDefinitionException.class)
                .hasMessage("batch-jobs file february.yml, field schedule.cron: '0 0 0 30 2 ?' never fires");
    }

    /** A mistyped folder must not quietly run the schedules packaged in the jar instead. */
    @Test
    void aConfiguredFolderThatIsMissingStopsStartUp(@TempDir Path folder) {
        Path missing = folder.resolve("batch-jobs-typo");

        assertThatThrownBy(() -> new BatchJobDefinitions(new BatchJobsProperties(missing.toString())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("capconduit.jobs.definitions").hasMessageContaining(missing.toString());
    }

    /** Only *.yml files are read: a .yaml file would leave its job unscheduled without a word. */
    @Test
    void aYamlFileStopsStartUpAskingForItsRename(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("cdr.yml"), VALID);
        Files.writeString(folder.resolve("report.yaml"), VALID.replace("cdrReconciliationJob", "dailyReportJob"));

        assertThatThrownBy(() -> BatchJobDefinitions.load(folder.toString()))
                .isInstanceOf(InvalidBatchJobDefinitionException.class)
                .hasMessageContaining("report.yaml").hasMessageContaining("rename it to report.yml");
    }

    @Test
    void aBadZoneNamesFileAndField() {
        assertThatThrownBy(() -> read("bad-zone.yml", VALID.replace("America/New_York", "Mars/Olympus")))
                .hasMessageContaining("bad-zone.yml").hasMessageContaining("schedule.time-zone");
    }

    /** Java reads these, but Quartz's TimeZone.getTimeZone falls back to GMT for them without a word. */
    @Test
    void anOffsetOrAZoneQuartzCannotReadIsRefused() {
        for (String zone : new String[] { "UTC+3", "+03:00", "GMT-05:00" }) {
            assertThatThrownBy(() -> read("offset.yml", VALID.replace("America/New_York", zone)))
                    .isInstanceOf(InvalidBatchJobDefinitionException.class)
                    .hasMessageContaining("offset.yml").hasMessageContaining("schedule.time-zone")
                    .hasMessageContaining(zone);
        }
    }

    @Test
    void anUnknownKeyNamesFileAndKey() {
        assertThatThrownBy(() -> read("typo.yml", VALID + "timezone: UTC\n"))
                .isInstanceOf(InvalidBatchJobDefinitionException.class)
                .hasMessageStartingWith("batch-jobs file typo.yml, field timezone:");
        assertThatThrownBy(() -> read("params.yml", VALID.replace("parameters:", "params:")))
                .hasMessageStartingWith("batch-jobs file params.yml, field params:");
        assertThatThrownBy(() -> read("schedule.yml", VALID.replace("time-zone:", "timezone:")))
                .hasMessageStartingWith("batch-jobs file schedule.yml, field schedule.timezone:");
    }

    @Test
    void anUnquotedOrStructuredParameterNamesItsField() {
        assertThatThrownBy(() -> read("number.yml", VALID.replace("\"120\"", "120")))
                .hasMessageContaining("number.yml").hasMessageContaining("parameters.graceSeconds");
        assertThatThrownBy(() -> read("list.yml", VALID.replace("\"120\"", "[1, 2]")))
                .hasMessageContaining("parameters.graceSeconds");
    }

    /**
     * Quartz keeps a job's description in a VARCHAR(250) and Spring Batch a run's parameter in a VARCHAR(100) name
     * and a VARCHAR(2500) value: past those, start-up (or the first run) stopped on a bare PostgreSQL error.
     */
    @Test
    void aDescriptionOrParameterTooLongForTheJobTablesNamesItsField() throws IOException {
        assertThat(read("long.yml", VALID.replace("Turns new CDR rows into call logs", "d".repeat(250))).description())
                .hasSize(250);
        assertThatThrownBy(() -> read("long.yml", VALID.replace("Turns new CDR rows into call logs", "d".repeat(251))))
                .isInstanceOf(InvalidBatchJobDefinitionException.class)
                .hasMessageStartingWith("batch-jobs file long.yml, field description:")
                .hasMessageContaining("251").hasMessageContaining("250");
        assertThatThrownBy(() -> read("map.yml", VALID.replace("Turns new CDR rows into call logs", "{a: b}")))
                .hasMessageStartingWith("batch-jobs file map.yml, field description:");
        assertThatThrownBy(() -> read("value.yml", VALID.replace("\"120\"", "\"" + "1".repeat(2501) + "\"")))
                .isInstanceOf(InvalidBatchJobDefinitionException.class)
                .hasMessageStartingWith("batch-jobs file value.yml, field parameters.graceSeconds:")
                .hasMessageContaining("2500");
        String name = "p".repeat(101);
        assertThatThrownBy(() -> read("name.yml", VALID.replace("graceSeconds", name)))
                .isInstanceOf(InvalidBatchJobDefinitionException.class)
                .hasMessageStartingWith("batch-jobs file name.yml, field parameters." + name.substring(0, 20))
                .hasMessageContaining("100");
    }

    @Test
    void aMissingJobOrScheduleNamesTheField() {
        assertThatThrownBy(() -> read("no-job.yml", VALID.replace("job: cdrReconciliationJob", "")))
                .hasMessageContaining("no-job.yml").hasMessageContaining("field job");
        assertThatThrownBy(() -> read("no-schedule.yml", "job: x\n"))
                .hasMessageContaining("field schedule");
    }

    @Test
    void aFileNamingNoJobBeanStopsStartUp() throws IOException {
        BatchJobDefinitions definitions = new BatchJobDefinitions(java.util.List.of(read("typo.yml",
                VALID.replace("cdrReconciliationJob", "cdrReconcilationJob"))));

        assertThatThrownBy(() -> BatchJobScheduler.checkJobsExist(definitions, Set.of("cdrReconciliationJob")))
                .hasMessageContaining("typo.yml").hasMessageContaining("field job")
                .hasMessageContaining("cdrReconcilationJob");
    }

    @Test
    void aParameterItsJobRefusesStopsStartUp() throws IOException {
        BatchJobDefinitions definitions = new BatchJobDefinitions(java.util.List.of(read("workers.yml",
                VALID.replace("graceSeconds: \"120\"", "workers: \"0\""))));
        Job job = validatedBy(new WholeNumberParameters().with("workers", 2, 1, 16));

        assertThatThrownBy(() -> BatchJobScheduler.checkParameters(definitions, Map.of("cdrReconciliationJob", job)))
                .hasMessage("batch-jobs file workers.yml, field parameters: workers must be a whole number from 1 to "
                        + "16, not '0'");
    }

    @Test
    void aParameterItsJobDoesNotReadStopsStartUp() throws IOException {
        BatchJobDefinitions definitions = new BatchJobDefinitions(java.util.List.of(read("typo.yml",
                VALID.replace("graceSeconds: \"120\"", "gracesSeconds: \"120\""))));
        Job job = validatedBy(new WholeNumberParameters().with("graceSeconds", 120, 0, 86_400)
                .with("workers", 2, 1, 16));

        assertThatThrownBy(() -> BatchJobScheduler.checkParameters(definitions, Map.of("cdrReconciliationJob", job)))
                .hasMessageContaining("typo.yml").hasMessageContaining("field parameters.gracesSeconds")
                .hasMessageContaining("[graceSeconds, workers]");
    }

    @Test
    void aParameterForAJobThatReadsNoneStopsStartUp() throws IOException {
        BatchJobDefinitions definitions = new BatchJobDefinitions(java.util.List.of(read("none.yml", VALID)));
        // as capResetJob: Spring Batch's default validator, which accepts any name
        Job job = validatedBy(new DefaultJobParametersValidator());

        assertThatThrownBy(() -> BatchJobScheduler.checkParameters(definitions, Map.of("cdrReconciliationJob", job)))
                .hasMessageContaining("none.yml").hasMessageContaining("field parameters.graceSeconds")
                .hasMessageContaining("it reads none");
    }

    @Test
    void twoFilesForOneJobAreRefused() throws IOException {
        assertThatThrownBy(() -> new BatchJobDefinitions(java.util.List.of(read("a.yml", VALID), read("b.yml", VALID))))
                .hasMessageContaining("b.yml").hasMessageContaining("a.yml");
    }

    /** A job that does nothing, whose parameters the validator checks. */
    private static Job validatedBy(JobParametersValidator validator) {
        return new Job() {
            @Override
            public void execute(JobExecution execution) {
            }

            @Override
            public JobParametersValidator getJobParametersValidator() {
                return validator;
            }
        };
    }

    private static BatchJobDefinition read(String file, String yaml) throws IOException {
        return BatchJobDefinitionReader.read(file, new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }
}
