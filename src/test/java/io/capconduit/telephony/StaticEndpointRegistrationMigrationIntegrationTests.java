package io.capconduit.telephony;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V9_61_0 closes the AORs of static buyers provisioned before to registrations, and deletes the contacts a stranger
 * registered on them; a buyer that registers keeps its room and its phones.
 */
@IntegrationTest
class StaticEndpointRegistrationMigrationIntegrationTests {

    private static final String MIGRATION = "db/migration/V9_61_0__static_endpoints_take_no_registration.sql";

    @Autowired
    JdbcTemplate jdbc;

    String buyer = "mig-static-" + UUID.randomUUID();
    String stranger = "sip:" + buyer + "@203.0.113.66:5060";
    String phone = "sip:client-lonestar@192.0.2.31:5060";

    @AfterEach
    void removeRows() {
        jdbc.update("DELETE FROM ps_contacts WHERE uri IN (?, ?)", stranger, phone);
        jdbc.update("DELETE FROM ps_aors WHERE id = ?", buyer);
        jdbc.update("DELETE FROM ps_endpoints WHERE id = ?", buyer);
        jdbc.update("DELETE FROM clients WHERE endpoint = ?", buyer);
    }

    @Test
    void aStaticBuyersAorTakesNoMoreRegistrationsAndLosesAStrangersContact() throws Exception {
        // as PjsipProvisioner.staticClient wrote it before
        jdbc.update("INSERT INTO clients (name, endpoint, sip_mode, sip_host) VALUES (?, ?, 'STATIC', 'sbc.example.invalid')",
                buyer, buyer);
        jdbc.update("INSERT INTO ps_endpoints (id, aors, context) VALUES (?, ?, 'from-clients')", buyer, buyer);
        jdbc.update("INSERT INTO ps_aors (id, contact, max_contacts) VALUES (?, 'sip:sbc.example.invalid:5060', 1)", buyer);
        // as res_config_odbc stores what the registrar binds: ";" written "^3B"
        jdbc.update("INSERT INTO ps_contacts (id, uri, endpoint, expiration_time) VALUES (?, ?, ?, ?)",
                buyer + "^3B@0123456789abcdef0123456789abcdef", stranger, buyer, System.currentTimeMillis() / 1000 + 3600);
        jdbc.update("INSERT INTO ps_contacts (id, uri, endpoint, expiration_time) VALUES (?, ?, ?, ?)",
                "client-lonestar^3B@fedcba9876543210fedcba9876543210", phone, "client-lonestar",
                System.currentTimeMillis() / 1000 + 3600);

        jdbc.execute(new ClassPathResource(MIGRATION).getContentAsString(StandardCharsets.UTF_8));

        assertThat(jdbc.queryForObject("SELECT max_contacts FROM ps_aors WHERE id = ?", Integer.class, buyer)).isZero();
        assertThat(jdbc.queryForList("SELECT uri FROM ps_contacts WHERE uri IN (?, ?)", String.class, stranger, phone))
                .containsExactly(phone);
        assertThat(jdbc.queryForObject("SELECT max_contacts FROM ps_aors WHERE id = 'client-lonestar'", Integer.class))
                .isEqualTo(3);
    }
}
