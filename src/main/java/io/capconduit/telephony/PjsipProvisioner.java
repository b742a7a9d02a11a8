package io.capconduit.telephony;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.capconduit.system.InputChecks;
import io.capconduit.system.InvalidInputException;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Derives the PJSIP realtime rows Asterisk reads ({@code ps_endpoints}, {@code ps_aors}, {@code ps_auths},
 * {@code ps_endpoint_id_ips}) from clients, agents and trunks. It joins the caller's transaction, so the
 * entity and its Asterisk rows change together or not at all. Every endpoint, its AOR and its auth share
 * one id (e.g. {@code client-7}). Defaults: ulaw/alaw, RFC 4733 DTMF, media always through Asterisk
 * (direct_media=no, rtp_symmetric, force_rport); rewrite_contact for devices behind NAT that register.
 * Passwords go into {@code ps_auths} only and are never read back by the API.
 */
@Component
@Transactional(propagation = Propagation.MANDATORY)
public class PjsipProvisioner {

    /** Context of calls from carriers; the inbound routing dialplan lives there. */
    public static final String PSTN_CONTEXT = "from-pstn";
    /** Context of calls agents place from their phones. */
    public static final String AGENT_CONTEXT = "agents";
    /** Context of calls a buyer sends us (buyers only receive calls; the dialplan rejects these). */
    public static final String CLIENT_CONTEXT = "from-clients";

    /** Advisory lock class of endpoint ids being taken ("PJEP"). */
    static final int ENDPOINT_LOCK = 0x504a4550;

    private final PjsipMapper pjsip;

    PjsipProvisioner(PjsipMapper pjsip) {
        this.pjsip = pjsip;
    }

    /**
     * What one endpoint needs. {@code contact} is a permanent SIP URI (static buyer SBC, carrier) or null for
     * a device that registers; {@code auth} is the id of its {@code ps_auths} row when it must authenticate.
     */
    public record Endpoint(String id, String context, String allow, String contact, int maxContacts, String auth,
            String rewriteContact, String identifyBy, String trusted, Integer busyAt, String removeExisting,
            Integer qualifyFrequency, List<String> matchIps) {
    }

    /**
     * A buyer's SBC at a fixed URI: no inbound auth, qualified every minute for fast failover. Its AOR takes no
     * registration (max_contacts 0): Asterisk's registrar challenges only endpoints with an auth, and this one is
     * identified by the From user alone, so with room for a contact anyone could register as the buyer and be rung
     * with its calls.
     */
    public static Endpoint staticClient(String id, String contact) {
        return new Endpoint(id, CLIENT_CONTEXT, "ulaw,alaw", contact, 0, null, "no", null, "no", null, "no", 60,
                List.of());
    }

    /** A buyer that registers with username = endpoint id and a secret; up to {@code maxContacts} devices. */
    public static Endpoint registeringClient(String id, int maxContacts) {
        return new Endpoint(id, CLIENT_CONTEXT, "ulaw,alaw", null, maxContacts, id, "yes", "username", "no", null,
                "yes", 60, List.of());
    }

    /** An agent's phone: registers (often behind NAT), one device, busy after one call for device state. */
    public static Endpoint agent(String id) {
        return new Endpoint(id, AGENT_CONTEXT, "ulaw,alaw,g722", null, 1, id, "yes", "username", "no", 1, "yes", 30,
                List.of());
    }

    /**
     * A carrier: identified by source IP, calls land in [from-pstn]; {@code contact} is where outbound calls go. It
     * does not register (max_contacts 0), as a static buyer does not.
     */
    public static Endpoint trunk(String id, String contact, List<String> matchIps) {
        return new Endpoint(id, PSTN_CONTEXT, "ulaw,alaw", contact, 0, null, "no", "ip", "yes", null, "no",
                contact == null ? null : 60, matchIps);
    }

    /**
     * Refuses an endpoint id that a client, trunk or agent holds already, or that has PJSIP rows of its own:
     * provisioning it would rewrite or delete the other one's rows; and the reserved id {@code anonymous}
     * ({@link InputChecks#unreservedEndpointId}); and an id with an {@code _}: Asterisk's realtime driver finds a
     * registered endpoint's contacts with {@code id LIKE '<aor>;@%'}, the id unescaped, where {@code _} matches any
     * character, so acme_east would ring (and its registrar count and evict) the phones of acme-east. Call it
     * whenever an entity takes an id it did not hold (one held from before keeps working); {@code field} names the
     * argument that chose the id.
     */
    public void requireUnused(String field, String id) {
        InputChecks.unreservedEndpointId(field, id);
        if (id.indexOf('_') >= 0) {
            throw new InvalidInputException(field,
                    "'" + InvalidInputException.shown(id) + "' has an _, which Asterisk's realtime lookups read as "
                    + "any character (acme_east would ring acme-east's phones too); use - instead");
        }
        pjsip.lockId(id);
        String holder = pjsip.holderOf(id);
        if (holder != null) {
            throw new InvalidInputException(field, "endpoint " + id + " is already used by "
                    + ("pjsip".equals(holder) ? "other PJSIP rows" : ("agent".equals(holder) ? "an " : "a ") + holder)
                    + "; choose another");
        }
    }

    /**
     * Creates or replaces the endpoint, its AOR and identify rows. A secret, if any, is kept as it is. An endpoint
     * that holds the reserved id {@code anonymous} from before it was reserved is refused until it takes another id.
     */
    public void provision(Endpoint endpoint) {
        InputChecks.unreservedEndpointId("endpoint", endpoint.id());
        if (endpoint.auth() != null && !pjsip.hasAuth(endpoint.id())) {
            throw new InvalidInputException("secret", "is required: " + endpoint.id() + " authenticates with a secret");
        }
        pjsip.upsertEndpoint(endpoint);
        boolean wasQualified = pjsip.upsertAor(endpoint);
        pjsip.deleteIdentifies(endpoint.id());
        if (!endpoint.matchIps().isEmpty()) {
            pjsip.insertIdentifies(endpoint.id(), endpoint.matchIps());
        }
        if (endpoint.auth() == null) {
            pjsip.deleteAuth(endpoint.id());
            // it registers no more (a buyer turned static): Dial would still ring its devices until they expire
            pjsip.deleteContacts(endpoint.id());
        }
        if (wasQualified || endpoint.qualifyFrequency() != null && endpoint.contact() != null) {
            requestPjsipReload();
        }
    }

    /**
     * Once the transaction commits (at once without one), every connected Asterisk reloads res_pjsip, which is when
     * it schedules the qualify of realtime AORs: one written or removed while it runs is otherwise qualified (or
     * no longer) only at its next start or {@code pjsip reload} (see {@link AmiConnections#reloadPjsip}). Asked of
     * every app instance ({@link PjsipReloads}): this one may hold no AMI connection.
     */
    private void requestPjsipReload() {
        pjsip.requestReload();
    }

    /**
     * Sets or rotates the secret of endpoint {@code id} (username = id). Call before {@link #provision}. Asterisk's
     * realtime ODBC driver splits a value at {@code ;} and decodes {@code ^XX} escapes, so a secret holding either
     * would reach PJSIP as something else and the device would never authenticate: refused. (Every other value
     * the provisioner writes, ids, contacts and matches, is held to letters, digits and {@code . : _ + * # - / @ [ ]}.)
     */
    public void setSecret(String id, String secret) {
        if (secret == null || secret.length() < 12 || secret.length() > 80 || secret.chars().anyMatch(c -> c < 33 || c > 126)) {
            throw new InvalidInputException("secret", "must be 12 to 80 printable characters without spaces");
        }
        if (secret.indexOf(';') >= 0 || secret.indexOf('^') >= 0) {
            throw new InvalidInputException("secret", "must not contain ; or ^: Asterisk's realtime ODBC driver splits "
                    + "values at ; and reads ^ as the start of an escape, so the phone's secret would not match");
        }
        pjsip.upsertAuth(id, id, secret);
    }

    /**
     * Takes the endpoint out of service: Asterisk can neither dial it nor accept calls or registrations from it.
     * The secret stays, so re-activating needs no new one.
     */
    public void disable(String id) {
        pjsip.deleteIdentifies(id);
        pjsip.deleteEndpoint(id);
        if (Boolean.TRUE.equals(pjsip.deleteAor(id))) {
            requestPjsipReload();
        }
    }

    /** Which of these endpoints have a secret set (for the API's write-only {@code hasSecret} flags). */
    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public Set<String> withSecret(List<String> ids) {
        return ids.isEmpty() ? Set.of() : new HashSet<>(pjsip.findWithSecret(ids));
    }

    /**
     * Removes every row of endpoint {@code id}, secret and registered contacts included: nothing is left behind for
     * the next endpoint of that id to inherit (Asterisk finds contacts by the AOR's id alone).
     */
    public void remove(String id) {
        disable(id);
        pjsip.deleteAuth(id);
        pjsip.deleteContacts(id);
    }
}
