package io.capconduit.telephony;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ps_* tables hold every column of the official Asterisk 22 realtime schema, by name and type (enum types
 * by name): Asterisk asks for columns by name and fails on an absent one.
 */
@IntegrationTest
class AsteriskRealtimeSchemaIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void everyOfficialColumnExistsWithItsType() throws Exception {
        Set<String> expected = officialColumns();
        Set<String> tables = expected.stream().map(line -> line.split("\t")[0]).collect(Collectors.toSet());

        List<String> actual = jdbc.query("""
                SELECT table_name, column_name, data_type, coalesce(character_maximum_length::text, ''),
                       CASE WHEN data_type = 'USER-DEFINED' THEN udt_name ELSE '' END
                FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name = ANY (?)
                """, (rs, n) -> String.join("\t", rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5)), (Object) tables.toArray(String[]::new));

        assertThat(tables).containsExactlyInAnyOrder("ps_endpoints", "ps_auths", "ps_aors", "ps_contacts",
                "ps_endpoint_id_ips", "ps_domain_aliases");
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected).contains("ps_endpoints\tmailboxes\tcharacter varying\t40\t",
                "ps_endpoints\tdirect_media\tUSER-DEFINED\t\tast_bool_values",
                "ps_auths\tauth_type\tUSER-DEFINED\t\tpjsip_auth_type_values_v2");
    }

    @Test
    void idsAreUniqueAsInTheOfficialSchema() {
        jdbc.update("INSERT INTO ps_domain_aliases (id, domain) VALUES ('schema-test', 'example.invalid')");
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                    jdbc.update("INSERT INTO ps_domain_aliases (id, domain) VALUES ('schema-test', 'other')"))
                    .isInstanceOf(org.springframework.dao.DuplicateKeyException.class);
        }
        finally {
            jdbc.update("DELETE FROM ps_domain_aliases WHERE id = 'schema-test'");
        }
    }

    private Set<String> officialColumns() throws Exception {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/asterisk/realtime-columns.tsv"), StandardCharsets.UTF_8))) {
            return reader.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("\t", -1).length == 5 ? line : line + "\t")
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        }
    }
}
