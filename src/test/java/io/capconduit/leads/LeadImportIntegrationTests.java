package io.capconduit.leads;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class LeadImportIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LeadImportLauncher launcher;

    @TempDir
    Path folder;

    LeadImportFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new LeadImportFixtures(jdbc, launcher, folder);
    }

    @Test
    void csvWithAliasesDuplicatesDncAndInvalidNumbers() throws Exception {
        long listId = fixtures.newList("US");
        jdbc.update("INSERT INTO dnc_numbers (phone) VALUES ('+13125550188') ON CONFLICT DO NOTHING");
        jdbc.update("INSERT INTO leads (list_id, phone) VALUES (?, '+12125550147')", listId);
        Path file = fixtures.csv("""
                \uFEFFFirst Name;Last Name;Phone Number;ZIP;State;Favourite Colour
                Ada;Lovelace;(201) 555-0123;07030;NJ;"green; mostly"
                Alan;Turing;+1 212 555 0147;10001;NY;blue
                Grace;Hopper;312-555-0188;60601;IL;
                Edsger;Dijkstra;not a number;;;red
                Barbara;Liskov;2015550123;;;"two
                lines"

                Donald;Knuth;208 555 0100;83702;ID;
                """);

        JobExecution execution = fixtures.importLeads(listId, file);

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getExitStatus().getExitDescription())
                .isEqualTo("Imported 2 of 6 rows from " + file.getFileName() + ": 2 duplicates dropped, 2 rows rejected");
        List<Map<String, Object>> leads = fixtures.leads(listId);
        assertThat(leads).extracting(l -> l.get("phone"))
                .containsExactly("+12015550123", "+12085550100", "+12125550147");
        Map<String, Object> ada = leads.get(0);
        assertThat(ada).containsEntry("first_name", "Ada").containsEntry("last_name", "Lovelace")
                .containsEntry("time_zone", "America/New_York").containsEntry("postal_code", "07030")
                .containsEntry("source_row", 2);
        assertThat(ada.get("extra").toString()).isEqualTo("{\"Favourite Colour\": \"green; mostly\"}");
        // 208 spans Boise and Los Angeles: the state decides
        assertThat(leads.get(1)).containsEntry("time_zone", "America/Boise").containsEntry("source_row", 8);
        assertThat(fixtures.rejects(execution)).containsExactly(
                Map.of("row_number", 4, "raw_value", "+13125550188", "reason", "the number is on the do-not-call list"),
                Map.of("row_number", 5, "raw_value", "not a number", "reason",
                        "not a phone number (no digits of a phone number)"));
    }
}
