package io.capconduit.jobs;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;

/**
 * A job's validator refusing one parameter's value: which parameter, so that {@code runJob} names the one the caller
 * gave ({@code parameters[1].value}), and why, in a message that names the parameter ({@code workers must be ...}).
 */
public class RefusedJobParameter extends InvalidJobParametersException {

    private final String parameter;

    public RefusedJobParameter(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
