package io.capconduit.reports;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import java.util.stream.Stream;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.CronExpression;

import io.capconduit.jobs.BatchJobDefinition;
import io.capconduit.jobs.BatchJobDefinitions;
import io.capconduit.jobs.BatchJobLauncher;
import io.capconduit.system.InputChecks;
import io.capconduit.system.InvalidInputException;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.capconduit.support.GraphQlErrors.badInput;
import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class DailyReportJobIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JobOperator jobOperator;

    @Autowired
    @Qualifier("dailyReportJob")
    Job dailyReportJob;

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    BatchJobDefinitions definitions;

    /**
     * The nightly run fires two hours after yesterday ended in every zone a seller may have (the last, UTC-12,
     * ends its day at 12:00 UTC): time for calls still talking at midnight to end and become call logs.
     */
    @Test
    void theScheduleFiresTwoHoursAfterYesterdayEndedInEveryZoneASellerMayHave() throws Exception {
        BatchJobDefinition report = definitions.forJob("dailyReportJob").orElseThrow();
        CronExpression cron = new CronExpression(report.cron());
        cron.setTimeZone(TimeZone.getTimeZone(report.timeZone()));
        ZoneId reportZone = ZoneId.of(report.parameters().getOrDefault("timeZone", "UTC"));
        List<ZoneId> sellerZones = ZoneId.getAvailableZoneIds().stream().filter(DailyReportJobIntegrationTests::accepted)
                .map(ZoneId::of).toList();
        assertThat(sellerZones).contains(ZoneId.of("Etc/GMT+12"));
        for (String day : List.of("2026-01-15T00:00:00Z", "2026-07-15T00:00:00Z")) {   // either side's summer time
            Instant fired = cron.getNextValidTimeAfter(Date.from(Instant.parse(day))).toInstant();
            LocalDate yesterday = LocalDate.ofInstant(fired, reportZone).minusDays(1);
            for (ZoneId zone : sellerZones) {
                Instant over = yesterday.plusDays(1).atStartOfDay(zone).toInstant();
                assertThat(fired).as("%s in %s", yesterday, zone).isAfterOrEqualTo(over.plus(Duration.ofHours(2)));
            }
        }
    }

    private static boolean accepted(String zone) {
        try {
            InputChecks.timeZone("timeZone", zone);
            return true;
        }
        catch (InvalidInputException ex) {
            return false;
        }
    }

    /** Checked when launched, as the report checks its dates: not an execution failing on its first seller. */
    @Test
    void aReportDateOutsideTheReportsYearsIsRefusedAtLaunch() {
        Long before = jdbc.queryForObject("SELECT count(*) FROM batch_job_execution", Long.class);

        graphQl.as("staff").document("""
                mutation { runJob(name: "dailyReportJob", parameters: [{name: "timeZone", value: "Europe/Paris"},
                           {name: "reportDate", value: "1850-01-01"}]) { id } }""").execute().errors()
                .expect(badInput("parameters[1].value").and(error -> error.getMessage().equals("parameters[1].value: "
                        + "reportDate must be a date from 1900 to 9999, not 1850-01-01")))
                .verify();
        graphQl.as("staff").document("""
                mutation { runJob(name: "dailyReportJob", parameters: [{name: "timeZone", value: "+05:30"}]) { id } }
                """).execute().errors()
                .expect(badInput("parameters[0].value").and(error -> error.getMessage().equals("parameters[0].value: "
                        + "timeZone must be an IANA time zone such as America/New_York, not '+05:30'")))
                .verify();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM batch_job_execution", Long.class)).isEqualTo(before);
    }

    /** A zone stored before zones were checked (an offset) does not stop the report of every seller after it. */
    @Test
    void aSellerWithAZoneTheReportsCannotReadGetsItsDayInUtc(@TempDir Path folder) throws Exception {
        ReportFixture fixture = new ReportFixture(jdbc);
        long broken = fixture.seller("offset-zone", "UTC");
        jdbc.update("UPDATE sellers SET time_zone = '+05:30' WHERE id = ?", broken);
        long after = fixture.seller("after-it", "Asia/Kolkata");

        JobExecution execution = jobOperator.start(dailyReportJob, new JobParametersBuilder()
                .addString("reportDate", "2026-03-10").addString("folder", folder.toString())
                .addLong("firedAt", System.nanoTime()).toJobParameters());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(folder.resolve("2026-03-10").resolve(DailyReportWriter.fileName(
                new ReportSeller(broken, fixture.name("offset-zone"), "+05:30")))).exists();
        assertThat(folder.resolve("2026-03-10").resolve(DailyReportWriter.fileName(
                new ReportSeller(after, fixture.name("after-it"), "Asia/Kolkata")))).exists();
        jdbc.update("UPDATE sellers SET active = false WHERE id = ?", broken);   // the other tests read every seller
    }

    @Test
    void writesEachSellersDayInItsOwnTimeZone(@TempDir Path folder) throws Exception {
        NewYorkMarchScenario march = new NewYorkMarchScenario(new ReportFixture(jdbc));

        JobExecution execution = jobOperator.start(dailyReportJob, new JobParametersBuilder()
                .addString("reportDate", "2026-03-10").addString("folder", folder.toString())
                .addLong("firedAt", System.nanoTime()).toJobParameters());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        Path file = folder.resolve("2026-03-10").resolve(DailyReportWriter.fileName(
                new ReportSeller(march.seller, march.fixture.name("ny"), "America/New_York")));
        assertThat(file).exists();
        try (InputStream in = Files.newInputStream(file); XSSFWorkbook workbook = new XSSFWorkbook(in)) {
            assertThat(workbook.getSheetName(0)).isEqualTo("By campaign");
            Sheet byCampaign = workbook.getSheet("By campaign");
            // New York's 2026-03-10: auto 2 calls (200 s talk), home 3 calls (90 s), then the total
            assertThat(byCampaign.getLastRowNum()).isEqualTo(3);
            assertRow(byCampaign.getRow(1), march.fixture.name("auto"), 2, 200);
            assertRow(byCampaign.getRow(2), march.fixture.name("home"), 3, 90);
            assertThat(workbook.getSheet("By client")).isNotNull();
            assertThat(workbook.getSheet("By did")).isNotNull();
        }
        assertThat(Files.list(folder.resolve("2026-03-10")))
                .noneMatch(path -> path.getFileName().toString().endsWith(".part"));
        // whoever hands the workbooks on (a mailer, a share) reads them as the application's group
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        }
    }

    @Test
    void aFailureInTheMiddleIsRestartedAfterTheLastSellerWritten(@TempDir Path folder) throws Exception {
        ReportFixture earlier = new ReportFixture(jdbc);
        long written = earlier.seller("written-before", "UTC");   // a lower id: written before the failure
        NewYorkMarchScenario march = new NewYorkMarchScenario(new ReportFixture(jdbc));
        Path blocked = folder.resolve("2026-03-10").resolve(DailyReportWriter.fileName(
                new ReportSeller(march.seller, march.fixture.name("ny"), "America/New_York")));
        Files.createDirectories(blocked.resolve("in-the-way"));  // a directory where the seller's file must go
        var parameters = new JobParametersBuilder().addString("reportDate", "2026-03-10")
                .addString("folder", folder.toString()).addLong("firedAt", System.nanoTime()).toJobParameters();

        JobExecution failed = jobOperator.start(dailyReportJob, parameters);

        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        // a seller already written is deactivated before the restart: the restart still starts at the failed one
        jdbc.update("UPDATE sellers SET active = false WHERE id = ?", written);
        Files.delete(blocked.resolve("in-the-way"));
        Files.delete(blocked);
        JobExecution restarted = jobOperator.restart(failed);

        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(blocked).isRegularFile();
        long left = jdbc.queryForObject("SELECT count(*) FROM sellers WHERE active AND id >= ?", Long.class,
                march.seller);
        assertThat(restarted.getStepExecutions()).singleElement()
                .satisfies(step -> assertThat(step.getReadCount()).isEqualTo(left));
    }

    /**
     * Without a reportDate the day is the one before the scheduled fire in the report's zone, so a restart hours
     * or days later writes the same day as the run it continues: here 23:30 of 2026-03-10 in New York.
     */
    @Test
    void theDefaultDayIsTheDayBeforeTheScheduledFireInTheReportsZone(@TempDir Path folder) throws Exception {
        JobExecution execution = jobOperator.start(dailyReportJob, new JobParametersBuilder()
                .addString("timeZone", "America/New_York").addString("folder", folder.toString())
                .addString(BatchJobLauncher.FIRED_AT, "2026-03-11T03:30:00Z").toJobParameters());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        try (Stream<Path> days = Files.list(folder)) {
            assertThat(days).extracting(day -> day.getFileName().toString()).containsExactly("2026-03-09");
        }
    }

    private static void assertRow(Row row, String campaign, int calls, int talkSeconds) {
        assertThat(row.getCell(0).getStringCellValue()).isEqualTo("2026-03-10");
        assertThat(row.getCell(3).getStringCellValue()).isEqualTo(campaign);
        assertThat(row.getCell(4).getNumericCellValue()).isEqualTo(calls);
        assertThat(row.getCell(9).getNumericCellValue()).isEqualTo(talkSeconds);
    }
}
