package io.capconduit.reports;

import java.time.LocalDate;
import java.util.Set;
import java.time.format.DateTimeParseException;

import io.capconduit.jobs.DeclaredParameters;
import io.capconduit.jobs.RefusedJobParameter;
import io.capconduit.system.InvalidInputException;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * dailyReportJob's validator: its {@code timeZone} and {@code reportDate}, checked when it is launched (runJob
 * answers BAD_REQUEST) and, for its batch-jobs file, at start-up, not when its step fails every night.
 */
final class DailyReportParameters implements JobParametersValidator, DeclaredParameters {

    @Override
    public Set<String> parameterNames() {
        return Set.of("timeZone", "reportDate", "folder");
    }

    @Override
    public void validate(JobParameters parameters) throws RefusedJobParameter {
        try {
            CallReportRequest.parseZone(text(parameters, "timeZone"));
        } catch (InvalidInputException e) {
            throw new RefusedJobParameter("timeZone", "timeZone " + e.reason());
        }
        String reportDate = text(parameters, "reportDate");
        if (reportDate != null && !reportDate.isBlank()) {
            try {
                // the years the report itself takes, or the step would fail on its first seller
                CallReportRequest.inCalendar("reportDate", LocalDate.parse(reportDate.trim()));
            } catch (DateTimeParseException e) {
                throw new RefusedJobParameter("reportDate", "reportDate must be a date such as 2026-03-10, not '"
                        + InvalidInputException.shown(reportDate) + "'");
            } catch (InvalidInputException e) {
                throw new RefusedJobParameter("reportDate", "reportDate " + e.reason());
            }
        }
    }

    private static String text(JobParameters parameters, String name) {
        JobParameter<?> parameter = parameters == null ? null : parameters.getParameter(name);
        return parameter == null ? null : String.valueOf(parameter.value());
    }
}
