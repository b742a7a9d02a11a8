package io.capconduit.jobs;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WholeNumberParametersTests {

    private final WholeNumberParameters parameters = new WholeNumberParameters()
            .with("workers", 2, 1, 16)
            .with("retentionDays", 35, 1, Integer.MAX_VALUE);

    @Test
    void aMissingParameterTakesItsDefaultAndAGivenOneItsValue() throws Exception {
        JobParameters given = new JobParametersBuilder().addString("workers", " 4 ").addLong("retentionDays", 7L)
                .toJobParameters();

        parameters.validate(given);
        assertThat(parameters.value(given, "workers")).isEqualTo(4);
        assertThat(parameters.value(given, "retentionDays")).isEqualTo(7);
        assertThat(parameters.value(new JobParameters(), "workers")).isEqualTo(2);
        assertThat(parameters.value(null, "retentionDays")).isEqualTo(35);
    }

    @Test
    void valuesOutsideTheRangeOrNotWholeNumbersAreRefusedByName() {
        assertRefused("workers", "0", "workers must be a whole number from 1 to 16, not '0'");
        assertRefused("workers", "17", "workers must be a whole number from 1 to 16, not '17'");
        assertRefused("workers", "two", "workers must be a whole number from 1 to 16, not 'two'");
        assertRefused("workers", "2.5", "workers must be a whole number from 1 to 16, not '2.5'");
        assertRefused("workers", "99999999999", "workers must be a whole number from 1 to 16, not '99999999999'");
        assertRefused("retentionDays", "-1", "retentionDays must be a whole number of at least 1, not '-1'");
        assertRefused("retentionDays", "", "retentionDays must be a whole number of at least 1, not ''");
    }

    @Test
    void anUndeclaredNameIsAProgrammingError() {
        assertThatThrownBy(() -> parameters.value(new JobParameters(), "chunkSize"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no whole-number parameter named chunkSize");
    }

    private void assertRefused(String name, String value, String message) {
        JobParameters given = new JobParametersBuilder().addString(name, value).toJobParameters();
        assertThatThrownBy(() -> parameters.validate(given)).isInstanceOf(InvalidJobParametersException.class)
                .hasMessage(message);
    }
}
