package io.capconduit.telephony;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.capconduit.support.IntegrationTest;
import io.capconduit.system.InvalidInputException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@IntegrationTest
class PjsipProvisionerIntegrationTests {

    @Autowired
    PjsipProvisioner provisioner;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    JdbcTemplate jdbc;

    /**
     * Asterisk's registrar binds a contact to an AOR whose max_contacts is above 0 for whoever is identified as its
     * endpoint, and challenges only an endpoint that has an auth. A static buyer is identified by the From user alone
     * (identify_by's default, username), so with room for a contact anyone could REGISTER as client-7 and be rung
     * with that buyer's calls; a carrier has no business registering either. With 0 the registrar answers 403.
     */
    @Test
    void anEndpointWithoutASecretTakesNoRegistration() {
        String buyer = "static-" + UUID.randomUUID();
        String carrier = "carrier-" + UUID.randomUUID();
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        transaction.executeWithoutResult(status -> {
            provisioner.provision(PjsipProvisioner.staticClient(buyer, "sip:sbc.example.invalid:5060"));
            provisioner.provision(PjsipProvisioner.trunk(carrier, "sip:carrier.example.invalid:5060",
                    List.of("198.51.100.91")));
        });
        try {
            // the demo's static buyers and carrier were provisioned by the same code
            assertThat(jdbc.queryForList("""
                    SELECT a.id || '=' || a.max_contacts FROM ps_aors a JOIN ps_endpoints e ON e.id = a.id
                    WHERE e.auth IS NULL AND a.id IN (?, ?, 'client-sunrise', 'client-pacific', 'trunk-demo-carrier')""",
                    String.class, buyer, carrier))
                    .contains(buyer + "=0", carrier + "=0").allMatch(aor -> aor.endsWith("=0"));
            // a buyer that does register keeps its room
            assertThat(jdbc.queryForObject("SELECT max_contacts FROM ps_aors WHERE id = 'client-lonestar'",
                    Integer.class)).isEqualTo(3);
        }
        finally {
            transaction.executeWithoutResult(status -> {
                provisioner.remove(buyer);
                provisioner.remove(carrier);
            });
        }
    }

    /**
     * Asterisk finds the contacts a device registered (ps_contacts) by their AOR's id, and only the registrar or their
     * expiry (an hour by default) deletes them. An endpoint removed (a client deleted, or moved to another id) leaves
     * none for the next endpoint of that id to ring, and a buyer turned static none that Dial would ring instead of
     * its SBC. Another AOR whose id begins alike keeps its own.
     */
    @Test
    void noRegisteredContactOutlivesTheRegistrationItBelongsTo() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String removed = "removed-" + tag;
        String turnedStatic = "turned-static-" + tag;
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        transaction.executeWithoutResult(status -> {
            for (String id : List.of(removed, turnedStatic)) {
                provisioner.setSecret(id, "a-registering-secret");
                provisioner.provision(PjsipProvisioner.registeringClient(id, 2));
            }
        });
        for (String aor : List.of(removed, removed + "-2", turnedStatic)) {
            // as res_config_odbc stores what the registrar binds: "<aor>;@<md5 of the uri>", ";" written "^3B"
            jdbc.update("INSERT INTO ps_contacts (id, uri, endpoint, expiration_time) VALUES (?, ?, ?, ?)",
                    aor + "^3B@0123456789abcdef0123456789abcdef", "sip:" + aor + "@192.0.2.40:5060", aor,
                    System.currentTimeMillis() / 1000 + 3600);
        }
        try {
            transaction.executeWithoutResult(status -> {
                provisioner.remove(removed);
                provisioner.provision(PjsipProvisioner.staticClient(turnedStatic, "sip:sbc.example.invalid:5060"));
            });

            assertThat(jdbc.queryForList("SELECT endpoint FROM ps_contacts WHERE endpoint IN (?, ?, ?)", String.class,
                    removed, removed + "-2", turnedStatic)).containsExactly(removed + "-2");
        }
        finally {
            jdbc.update("DELETE FROM ps_contacts WHERE endpoint IN (?, ?, ?)", removed, removed + "-2", turnedStatic);
            transaction.executeWithoutResult(status -> provisioner.remove(turnedStatic));
        }
    }

    /**
     * A client and a trunk created at the same moment with one endpoint id: the second check waits for the first
     * transaction and then finds the id taken, instead of both passing and the second overwriting the first's rows.
     */
    @Test
    void twoTransactionsTakingOneEndpointIdTakeItOneAfterTheOther() throws Exception {
        String id = "race-" + UUID.randomUUID();
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        CountDownLatch provisioned = new CountDownLatch(1);
        ExecutorService first = Executors.newSingleThreadExecutor();
        try {
            Future<?> firstTakes = first.submit(() -> transaction.executeWithoutResult(status -> {
                provisioner.requireUnused("endpoint", id);
                provisioner.provision(PjsipProvisioner.trunk(id, null, List.of("198.51.100.1")));
                provisioned.countDown();
                try {
                    Thread.sleep(500);   // a slow commit
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }));
            provisioned.await();

            assertThatThrownBy(() -> transaction.executeWithoutResult(
                    status -> provisioner.requireUnused("endpoint", id)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("is already used");
            firstTakes.get();
        }
        finally {
            first.shutdownNow();
        }
    }
}
