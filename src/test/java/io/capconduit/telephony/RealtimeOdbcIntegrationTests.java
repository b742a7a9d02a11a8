package io.capconduit.telephony;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PJSIP lookups Asterisk 22 makes by LIKE, sent as res_config_odbc sends them through the class extconfig.conf
 * maps the family to (realtime_multi_odbc: {@code SELECT * FROM <table> WHERE id LIKE ?}, plus {@code ESCAPE '\\'}
 * when the class has backslash_is_escape => no; the value bound, its {@code ;} and {@code ^} written {@code ^XX}):
 * res_sorcery_realtime asks for every identify with {@code id LIKE '%'} to match a carrier's source IP, and for a
 * registered buyer's or agent's contacts with {@code id LIKE '<aor>;@%'} to dial it. PostgreSQL refuses the
 * two-character escape, so with "no" neither lookup finds anything.
 */
@IntegrationTest
class RealtimeOdbcIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PjsipProvisioner provisioner;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void aProvisionedCarrierIsAmongTheIdentifiesAsteriskMatchesItsAddressAgainst() {
        String trunk = "rt-carrier-" + UUID.randomUUID();
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        transaction.executeWithoutResult(status -> provisioner.provision(
                PjsipProvisioner.trunk(trunk, "sip:carrier.example.invalid", List.of("198.51.100.77"))));
        try {
            assertThat(likeLookup("ps_endpoint_id_ips", "%")).anySatisfy(identify -> assertThat(identify)
                    .containsEntry("endpoint", trunk).containsEntry("match", "198.51.100.77"));
        }
        finally {
            transaction.executeWithoutResult(status -> provisioner.remove(trunk));
        }
    }

    @Test
    void aRegisteredAgentsContactIsFoundUnderItsAor() {
        String aor = "rt-agent-" + UUID.randomUUID();
        // as res_config_odbc's store_odbc writes the contact the registrar made: id "<aor>;@<md5 of the uri>"
        jdbc.update("INSERT INTO ps_contacts (id, uri, endpoint, expiration_time) VALUES (?, ?, ?, ?)",
                encode(aor + ";@0123456789abcdef0123456789abcdef"), "sip:" + aor + "@192.0.2.20:5060", aor,
                System.currentTimeMillis() / 1000 + 3600);
        try {
            assertThat(likeLookup("ps_contacts", aor + ";@%")).singleElement().satisfies(contact ->
                    assertThat(contact).containsEntry("uri", "sip:" + aor + "@192.0.2.20:5060"));
        }
        finally {
            jdbc.update("DELETE FROM ps_contacts WHERE endpoint = ?", aor);
        }
    }

    private List<Map<String, Object>> likeLookup(String family, String value) {
        String[] classAndTable = ResOdbcConf.realtimeClassAndTable(family);
        String escape = ResOdbcConf.backslashIsEscape(classAndTable[0]) ? "" : " ESCAPE '\\\\'";
        return jdbc.queryForList("SELECT * FROM " + classAndTable[1] + " WHERE id LIKE ?" + escape + " ORDER BY id",
                encode(value));
    }

    /** res_config_odbc's ENCODE_CHUNK: {@code ;} and {@code ^} as {@code ^XX}. */
    private static String encode(String value) {
        return value.replace("^", "^5E").replace(";", "^3B");
    }
}
