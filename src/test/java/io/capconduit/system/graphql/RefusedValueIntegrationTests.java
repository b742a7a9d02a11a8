package io.capconduit.system.graphql;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.capconduit.support.GraphQlErrors.badInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A value PostgreSQL refuses is a BAD_REQUEST in our words naming the argument that holds it, never the server's
 * (SQL type names, a date the caller never sent), and naming none when two argument values could be it.
 */
@IntegrationTest
class RefusedValueIntegrationTests {

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aNulCharacterNamesTheFieldHoldingIt() {
        graphQl.as("admin").document("mutation ($input: SellerInput!) { createSeller(input: $input) "
                        + "{ seller { id } } }")
                .variable("input", Map.of("name", "Nul\u0000Seller")).execute().errors()
                .expect(badInput("input.name").and(error -> error.getMessage()
                        .equals("input.name: must not hold a NUL character"))).verify();
    }

    /** PostgreSQL's words were "timestamp out of range" with a year BC the caller never sent. */
    @Test
    void aDateTimeBeyondTheDatabasesNamesTheArgumentHoldingIt() {
        graphQl.as("staff").document("query ($from: DateTime!) { callLogs(filter: {from: $from}) "
                        + "{ edges { cursor } } }")
                .variable("from", "+999999999-12-31T23:59:59Z").execute().errors()
                .expect(badInput("filter.from").and(error -> error.getMessage().equals("filter.from: is outside the "
                        + "dates the database holds (4713 BC to 294276 AD)"))).verify();
    }

    @Test
    void aStringTooLongNamesTheOneArgumentLongerThanTheColumn() {
        SQLException tooLong = tooLong("abcdefgh");
        RefusedValue refused = RefusedValue.of(tooLong, Map.of("id", "1", "input", Map.of("name", "abc",
                "tags", List.of("ok", "abcdefgh"))));
        assertThat(refused.message()).isEqualTo("input.tags[1]: must be at most 5 characters");
        assertThat(RefusedValue.of(tooLong, Map.of("input", Map.of("name", "abcdefgh", "email", "ijklmnop"))))
                .as("two values too long: either could be it")
                .isEqualTo(new RefusedValue(null, "must be at most 5 characters"));
    }

    @Test
    void aNumberOutOfRangeNamesTheArgumentPastTheType() {
        RefusedValue quoted = RefusedValue.of(refused("SELECT CAST(CAST(? AS text) AS integer)", "3000000000"),
                Map.of("id", "3000000000", "input", Map.of("totalCap", 5)));
        assertThat(quoted.message()).isEqualTo("id: is out of the range the database holds");
        RefusedValue integer = RefusedValue.of(refused("SELECT CAST(CAST(? AS bigint) AS integer)", 3_000_000_000L),
                Map.of("campaignId", "7", "input", Map.of("totalCap", 3_000_000_000L)));
        assertThat(integer.message()).isEqualTo("input.totalCap: is out of the range the database holds");
        RefusedValue numeric = RefusedValue.of(refused("SELECT CAST(CAST(? AS float8) AS numeric(4,2))", 120.5),
                Map.of("input", Map.of("dialRatio", 120.5, "wrapUpSeconds", 30)));
        assertThat(numeric.message()).isEqualTo("input.dialRatio: is out of the range the database holds");
    }

    @Test
    void aValueNoArgumentHoldsIsRefusedWithoutSqlAndNamingNone() {
        RefusedValue refused = RefusedValue.of(tooLong("abcdefgh"),
                Map.of("at", Instant.EPOCH));
        assertThat(refused.field()).isNull();
        assertThat(refused.message()).isEqualTo("A value among the arguments must be at most 5 characters")
                .doesNotContainIgnoringCase("varying");
    }

    /** A cast to varchar(5) would cut the text short: storing it is what PostgreSQL refuses. */
    private SQLException tooLong(String text) {
        DataIntegrityViolationException refused = catchThrowableOfType(DataIntegrityViolationException.class,
                () -> jdbc.execute((ConnectionCallback<Object>) connection -> {
                    try (Statement create = connection.createStatement();
                            PreparedStatement insert = connection.prepareStatement(
                                    "INSERT INTO short_texts VALUES (?)")) {
                        create.execute("CREATE TEMPORARY TABLE IF NOT EXISTS short_texts (text varchar(5))");
                        insert.setString(1, text);
                        return insert.executeUpdate();
                    }
                }));
        assertThat(refused).as("PostgreSQL refuses %s", text).isNotNull();
        return (SQLException) refused.getMostSpecificCause();
    }

    private SQLException refused(String sql, Object value) {
        DataIntegrityViolationException refused = catchThrowableOfType(DataIntegrityViolationException.class,
                () -> jdbc.queryForObject(sql, Object.class, value));
        assertThat(refused).as("PostgreSQL refuses %s", value).isNotNull();
        return (SQLException) refused.getMostSpecificCause();
    }
}
