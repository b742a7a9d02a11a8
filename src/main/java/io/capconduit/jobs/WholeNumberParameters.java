package io.capconduit.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.capconduit.system.InvalidInputException;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * A job's whole-number parameters, each with its default and range. As the job's validator it refuses a bad
 * value when the job is launched, before any execution exists: the {@code runJob} mutation answers BAD_REQUEST,
 * and a job file with one stops start-up ({@link BatchJobScheduler}). Its steps read the values with
 * {@link #value}.
 */
public final class WholeNumberParameters implements JobParametersValidator, DeclaredParameters {

    private record Range(int fallback, int min, int max) {
    }

    private final Map<String, Range> ranges = new LinkedHashMap<>();

    /** Adds a parameter: its value when the job is launched without it, and the smallest and largest allowed. */
    public WholeNumberParameters with(String name, int fallback, int min, int max) {
        ranges.put(name, new Range(fallback, min, max));
        return this;
    }

    @Override
    public Set<String> parameterNames() {
        return Set.copyOf(ranges.keySet());
    }

    @Override
    public void validate(JobParameters parameters) throws RefusedJobParameter {
        for (String name : ranges.keySet()) {
            try {
                value(parameters, name);
            }
            catch (IllegalArgumentException ex) {
                throw new RefusedJobParameter(name, ex.getMessage());
            }
        }
    }

    /** The parameter's value, or its default when the job was launched without it. */
    public int value(JobParameters parameters, String name) {
        Range range = ranges.get(name);
        if (range == null) {
            throw new IllegalArgumentException("no whole-number parameter named " + name);
        }
        JobParameter<?> parameter = parameters == null ? null : parameters.getParameter(name);
        if (parameter == null) {
            return range.fallback();
        }
        String text = String.valueOf(parameter.value()).strip();
        try {
            long value = Long.parseLong(text);
            if (value >= range.min() && value <= range.max()) {
                return (int) value;
            }
        }
        catch (NumberFormatException ex) {
            // refused below, with the values out of range
        }
        throw new IllegalArgumentException(name + " must be a whole number "
                + (range.max() == Integer.MAX_VALUE ? "of at least " + range.min()
                        : "from " + range.min() + " to " + range.max())
                + ", not '" + InvalidInputException.shown(parameter.value()) + "'");
    }
}
