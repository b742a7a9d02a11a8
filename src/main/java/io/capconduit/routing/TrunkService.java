package io.capconduit.routing;

import java.util.ArrayList;
import java.util.List;

import io.capconduit.system.InputChecks;
import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;
import io.capconduit.telephony.PjsipProvisioner;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Carrier trunks and their IP-identified PJSIP endpoints. ADMIN changes; staff and admins read. */
@Service
class TrunkService {

    private final TrunkMapper trunks;
    private final PjsipProvisioner pjsip;

    TrunkService(TrunkMapper trunks, PjsipProvisioner pjsip) {
        this.trunks = trunks;
        this.pjsip = pjsip;
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    List<Trunk> findAll() {
        return trunks.findAll();
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    Trunk find(long id) {
        return trunks.findById(id).orElseThrow(() -> new NotFoundException("Trunk", id));
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    Trunk create(TrunkController.TrunkInput input) {
        long id = trunks.nextId();
        Trunk trunk = merge(new Trunk(id, null, "trunk-" + id, null, null, List.of(), "", true, null, null), input);
        pjsip.requireUnused("endpoint", trunk.endpoint());
        trunks.insert(trunk);
        provision(trunk);
        return find(id);
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    Trunk update(long id, TrunkController.TrunkInput input) {
        // locked: the update writes every column back, so it may not start from a row another one is changing
        Trunk current = trunks.findByIdForUpdate(id).orElseThrow(() -> new NotFoundException("Trunk", id));
        Trunk trunk = merge(current, input);
        boolean moved = !current.endpoint().equals(trunk.endpoint());
        if (moved) {
            pjsip.requireUnused("endpoint", trunk.endpoint());
        }
        trunks.update(trunk);
        if (moved) {
            pjsip.remove(current.endpoint());
        }
        provision(trunk);
        return find(id);
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    Trunk deactivate(long id) {
        return update(id, new TrunkController.TrunkInput(null, null, null, null, null, null, false));
    }

    void provision(Trunk trunk) {
        if (!trunk.active()) {
            pjsip.disable(trunk.endpoint());
            return;
        }
        String contact = trunk.host() == null ? null
                : "sip:" + trunk.host() + ":" + (trunk.port() == null ? 5060 : trunk.port());
        pjsip.provision(PjsipProvisioner.trunk(trunk.endpoint(), contact, trunk.matchIps()));
    }

    private Trunk merge(Trunk current, TrunkController.TrunkInput in) {
        String name = InputChecks.name("name", InputChecks.or(in.name(), current.name()), 200);
        String endpoint = InputChecks.token("endpoint", InputChecks.or(in.endpoint(), current.endpoint()));
        if (trunks.nameTaken(name, current.id())) {
            throw new InvalidInputException("name", "a trunk with this name exists already");
        }
        String host = InputChecks.text(in.host(), current.host());
        if (host != null) {
            InputChecks.sipHost("host", host);
        }
        else if (current.host() != null) {
            List<String> sending = trunks.campaignsSendingThrough(current.id());
            if (!sending.isEmpty()) {
                // its AOR would lose its contact, and Asterisk every call of these campaigns
                throw new InvalidInputException("host", "campaigns " + String.join(", ", sending) + " send their "
                        + "calls through this trunk: Asterisk would have nowhere to send them; move them first");
            }
        }
        Integer port = InputChecks.or(in.port(), current.port());
        if (port != null) {
            InputChecks.range("port", port, 1, 65535);
        }
        List<String> ips = new ArrayList<>();
        List<String> given = InputChecks.or(in.matchIps(), current.matchIps());
        for (int i = 0; i < given.size(); i++) {
            ips.add(InputChecks.ipOrCidr("matchIps[" + i + "]", given.get(i)));
        }
        if (ips.isEmpty()) {
            throw new InvalidInputException("matchIps", "needs at least one IP address: a trunk is identified by them");
        }
        String prefix = InputChecks.or(in.dialPrefix(), current.dialPrefix()).strip();
        if (!prefix.matches("^[0-9*#+]{0,20}$")) {
            throw new InvalidInputException("dialPrefix", "may hold only digits, *, # and +");
        }
        return new Trunk(current.id(), name, endpoint, host, port, List.copyOf(ips), prefix,
                InputChecks.or(in.active(), current.active()), null, null);
    }
}
