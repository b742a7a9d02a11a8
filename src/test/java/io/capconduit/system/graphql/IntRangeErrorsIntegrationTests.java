package io.capconduit.system.graphql;

import java.util.List;
import java.util.Map;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static io.capconduit.support.GraphQlErrors.badInput;
import static io.capconduit.support.GraphQlErrors.classified;

/**
 * An Int beyond 32 bits is a BAD_REQUEST naming its path from the field's arguments, as any other value the API
 * cannot take, whether the document holds it or a variable does, however deep in an input or a fragment.
 */
@IntegrationTest
class IntRangeErrorsIntegrationTests {

    private static final String RANGE = " is beyond a whole number's range (-2147483648 to 2147483647)";

    @Autowired
    GraphQlTesters graphQl;

    @Test
    void aTopLevelIntBeyond32BitsIsNamedWrittenInTheDocumentInAVariableOrItsDefault() {
        graphQl.as("staff").document("{ didConnection(first: 99999999999) { edges { node { id } } } }").execute()
                .errors().expect(badInput("first").and(error -> error.getMessage()
                        .equals("first: '99999999999'" + RANGE))).verify();
        graphQl.as("staff").document("query ($f: Int) { didConnection(first: $f) { edges { node { id } } } }")
                .variable("f", -99999999999L).execute().errors()
                .expect(badInput("first").and(error -> error.getMessage().equals("first: '-99999999999'" + RANGE)))
                .verify();
        graphQl.as("staff").document("query ($f: Int = 99999999999) { didConnection(first: $f) { edges { node "
                + "{ id } } } }").execute().errors()
                .expect(badInput("first").and(error -> error.getMessage().equals("first: '99999999999'" + RANGE)))
                .verify();
    }

    @Test
    void anIntInsideAnInputOrAListIsNamedByItsPath() {
        graphQl.as("admin").document("mutation { createClient(input: {name: \"Far Port\", sipPort: 4294967296}) "
                + "{ client { id } } }").execute().errors().expect(badInput("input.sipPort")).verify();
        graphQl.as("admin").document("mutation ($hours: [ScheduleHoursInput!]!) { setClientSchedule(clientId: "
                + "\"987654321\", hours: $hours) { client { id } } }")
                .variable("hours", List.of(Map.of("dayOfWeek", 1, "openTime", "08:00", "closeTime", "12:00"),
                        Map.of("dayOfWeek", 1e12, "openTime", "13:00", "closeTime", "17:00")))
                .execute().errors().expect(badInput("hours[1].dayOfWeek")).verify();
        graphQl.as("admin").document("mutation ($day: Int!) { setClientSchedule(clientId: \"987654321\", "
                + "hours: [{dayOfWeek: 1, openTime: \"08:00\", closeTime: \"12:00\"}, {dayOfWeek: $day, "
                + "openTime: \"13:00\", closeTime: \"17:00\"}]) { client { id } } }").variable("day", 2147483648L)
                .execute().errors().expect(badInput("hours[1].dayOfWeek")).verify();
    }

    @Test
    void aNestedFieldsArgumentInAFragmentIsNamedAndOtherRefusalsStay() {
        graphQl.as("staff").document("{ batchJobs { ...recent } } "
                + "fragment recent on BatchJob { executions(limit: 3000000000) { id } }").execute().errors()
                .expect(badInput("limit")).verify();
        graphQl.as("staff").document("{ didConnection(first: 99999999999) { edges { node { noSuchField } } } }")
                .execute().errors().expect(badInput("first")).expect(classified("ValidationError")).verify();
    }
}
