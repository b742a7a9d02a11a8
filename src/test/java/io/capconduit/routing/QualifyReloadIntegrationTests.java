package io.capconduit.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.capconduit.support.Eventually;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import io.capconduit.system.PostgresNotifications;
import io.capconduit.telephony.AmiConnections;
import io.capconduit.telephony.AsteriskServerMapper;
import io.capconduit.telephony.ConnectedAsterisk;
import io.capconduit.telephony.OtherInstanceAmi;
import io.capconduit.telephony.TestAmiServer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asterisk schedules the OPTIONS qualify of a realtime AOR only when res_pjsip loads or reloads
 * (res/res_pjsip/pjsip_options.c): a static buyer's SBC or a trunk written into ps_aors while it runs was never
 * qualified, so a dead one was rung until each call timed out. Every connected server reloads res_pjsip once such
 * an AOR is written or one is removed.
 */
@IntegrationTest
class QualifyReloadIntegrationTests {

    private static final String CREATE = """
            mutation ($input: ClientInput!) { createClient(input: $input) { client { id endpoint } } }""";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AmiConnections ami;

    @Autowired
    AsteriskServerMapper servers;

    @Autowired
    PostgresNotifications notifications;

    ConnectedAsterisk connected;

    TestAmiServer asterisk;

    @BeforeEach
    void connect() throws Exception {
        connected = ConnectedAsterisk.start(jdbc, ami, null);
        asterisk = connected.asterisk();
    }

    @AfterEach
    void disconnect() throws Exception {
        connected.close();
    }

    @Test
    void aStaticBuyersAorIsQualifiedFromItsCreationAndARegisteringOneAsksNoReload() {
        graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "Phones Only Co", "sipMode", "REGISTER", "secret",
                "a-long-enough-secret-1")).execute().path("createClient.client.id").hasValue();
        assertThat(pjsipReloads()).isEmpty();

        long id = Long.parseLong(graphQl.as("admin").document(CREATE).variable("input", Map.of("name",
                "Qualified SBC Co", "sipHost", "sbc.qualified.example")).execute().path("createClient.client.id")
                .entity(String.class).get());
        awaitReloads(1);

        graphQl.as("admin").document("mutation ($id: ID!) { updateClient(id: $id, input: {sipHost: "
                + "\"sbc2.qualified.example\"}) { client { id } } }").variable("id", id).execute()
                .path("updateClient.client.id").hasValue();
        awaitReloads(2);

        graphQl.as("admin").document("mutation ($id: ID!) { deactivateClient(id: $id) { client { active } } }")
                .variable("id", id).execute().path("deactivateClient.client.active").entity(Boolean.class)
                .isEqualTo(false);
        awaitReloads(3);
    }

    /** A buyer's SBC replaced by registering phones: Asterisk would go on qualifying the SBC until a reload. */
    @Test
    void aStaticBuyerTurnedRegisteringIsNoLongerQualified() {
        long id = Long.parseLong(graphQl.as("admin").document(CREATE).variable("input", Map.of("name",
                "Turning Co", "sipHost", "sbc.turning.example")).execute().path("createClient.client.id")
                .entity(String.class).get());
        awaitReloads(1);

        graphQl.as("admin").document("mutation ($id: ID!) { updateClient(id: $id, input: {sipMode: REGISTER, "
                + "secret: \"a-long-enough-secret-2\"}) { client { id } } }").variable("id", id).execute()
                .path("updateClient.client.id").hasValue();
        awaitReloads(2);
    }

    /**
     * The instance that provisions a static buyer may hold no AMI connection (auto-connect off, or the server connected
     * only elsewhere): the instances that hold one reload it.
     */
    @Test
    void aStaticBuyerProvisionedOnAnInstanceWithoutTheConnectionIsQualifiedByTheOneWithIt() throws Exception {
        ami.disconnect(connected.serverId());
        AmiConnections otherInstance = OtherInstanceAmi.connect(servers, connected.serverId());
        try (AutoCloseable reloading = OtherInstanceAmi.reloadingPjsip(otherInstance, notifications)) {
            graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "Elsewhere SBC Co", "sipHost",
                    "sbc.elsewhere.example")).execute().path("createClient.client.id").hasValue();
            awaitReloads(1);
        }
        finally {
            otherInstance.stop();
        }
    }

    private void awaitReloads(int count) {
        Eventually.await(count + " reload(s) of res_pjsip", Duration.ofSeconds(10), () -> pjsipReloads().size() == count);
    }

    private List<Map<String, String>> pjsipReloads() {
        return asterisk.actions("ModuleLoad").stream()
                .filter(action -> "res_pjsip.so".equals(action.get("Module")) && "reload".equals(action.get("LoadType")))
                .toList();
    }
}
