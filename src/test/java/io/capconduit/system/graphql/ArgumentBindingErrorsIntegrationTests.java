package io.capconduit.system.graphql;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static io.capconduit.support.GraphQlErrors.badInput;
import static org.assertj.core.api.Assertions.assertThat;

/** An argument Spring cannot convert is a BAD_REQUEST naming it and quoting the value, a long one cut short. */
@IntegrationTest
class ArgumentBindingErrorsIntegrationTests {

    @Autowired
    GraphQlTesters graphQl;

    @Test
    void aHugeValueIsQuotedOnlyInPart() {
        String huge = "9".repeat(200_000);
        graphQl.as("staff").document("query ($v: ID!) { agent(id: $v) { id } }").variable("v", huge).execute().errors()
                .expect(badInput("id").and(error -> {
                    assertThat(error.getMessage()).startsWith("id: '9999").endsWith("(200000 characters)' is not a valid value")
                            .hasSizeLessThan(200);
                    return true;
                })).verify();
    }
}
