package io.capconduit.leads;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** V9_22_0 repairs leads an import gave a country's whole zone list, as an import now places them. */
@IntegrationTest
class LeadZoneRepairMigrationIntegrationTests {

    private static final String MIGRATION = "db/migration/V9_22_0__lead_zones_from_country_fallback.sql";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LeadImportLauncher launcher;

    @Autowired
    PlatformTransactionManager transactions;

    @TempDir
    Path folder;

    @Test
    void leadsWithTheirCountrysWholeZoneListTakeTheZoneOfTheirStateOrZipElseNone() throws Exception {
        long listId = new LeadImportFixtures(jdbc, launcher, folder).newList("US");
        String plusOne = libphonenumbersZones("8005550100");
        String russia = libphonenumbersZones("+78005553535");
        // as imports before the fix left them: the first zone of the list, or the (uncertain) state's zone
        insert(listId, "+18005550101", "America/Adak", plusOne, null, null);
        insert(listId, "+18005550102", "America/Chicago", plusOne, "TX", null);
        insert(listId, "+18005550103", "America/Adak", plusOne, "Indiana", null);
        insert(listId, "+18005550104", "America/Adak", plusOne, null, "07030");
        insert(listId, "+78005553535", "Asia/Almaty", russia, null, null);
        insert(listId, "+12085550100", "America/Boise", "{America/Boise,America/Los_Angeles}", null, null);

        String script = new ClassPathResource(MIGRATION).getContentAsString(StandardCharsets.UTF_8);
        new TransactionTemplate(transactions).executeWithoutResult(status -> jdbc.execute(script));

        assertThat(jdbc.queryForList("SELECT phone || ' ' || coalesce(time_zone, '-') || ' ' "
                + "|| coalesce(time_zones::text, '-') FROM leads WHERE list_id = ? ORDER BY phone", String.class, listId))
                .isEqualTo(List.of("+12085550100 America/Boise {America/Boise,America/Los_Angeles}",
                        "+18005550101 - -", "+18005550102 America/Chicago -",
                        "+18005550103 America/Indiana/Indianapolis -", "+18005550104 America/New_York -",
                        "+78005553535 - -"));
    }

    private static String libphonenumbersZones(String number) throws Exception {
        return "{" + String.join(",", PhoneNumberToTimeZonesMapper.getInstance()
                .getTimeZonesForNumber(PhoneNumberUtil.getInstance().parse(number, "US"))) + "}";
    }

    private void insert(long listId, String phone, String zone, String zones, String state, String postalCode) {
        jdbc.update("INSERT INTO leads (list_id, phone, time_zone, time_zones, state, postal_code) "
                + "VALUES (?, ?, ?, ?::text[], ?, ?)", listId, phone, zone, zones, state, postalCode);
    }
}
