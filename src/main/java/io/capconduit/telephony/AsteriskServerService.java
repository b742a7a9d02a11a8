package io.capconduit.telephony;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

import io.capconduit.system.InputChecks;
import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Asterisk servers: ADMIN manages, STAFF reads. The AMI secret is written here and read only by AMI code. Every app
 * instance's connections follow a committed change through the database ({@link AmiServerChanges}).
 */
@Service
class AsteriskServerService {

    private final AsteriskServerMapper servers;

    AsteriskServerService(AsteriskServerMapper servers) {
        this.servers = servers;
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    List<AsteriskServer> findAll() {
        return servers.findAll();
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    AsteriskServer find(long id) {
        return servers.findById(id).orElseThrow(() -> new NotFoundException("AsteriskServer", id));
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    AsteriskServer create(AsteriskServerController.AsteriskServerInput input) {
        AsteriskServer defaults = new AsteriskServer(0, null, null, 5038, null, null, BigDecimal.TEN, 50, true, null, null);
        return find(servers.insert(merge(defaults, input), secret(input.amiSecret())));
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    AsteriskServer update(long id, AsteriskServerController.AsteriskServerInput input) {
        // locked: the update writes every column back, so it may not start from a row another one is changing
        AsteriskServer before = servers.findByIdForUpdate(id)
                .orElseThrow(() -> new NotFoundException("AsteriskServer", id));
        servers.update(merge(before, input));
        if (input.amiSecret() != null) {
            servers.updateSecret(id, secret(input.amiSecret()));
        }
        // only what the connection depends on reconnects it (the trigger of V9_73_0): a new name or rate limit
        // leaves calls undisturbed
        return find(id);
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    AsteriskServer deactivate(long id) {
        return update(id, new AsteriskServerController.AsteriskServerInput(null, null, null, null, null, null, null, null,
                false));
    }

    /** A manager.conf user (a section name) on one AMI header line: a CR or LF would add headers to the Login. */
    private static final Pattern AMI_USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,80}");

    private static String amiUsername(String username) {
        String stripped = username == null ? null : username.strip();
        if (stripped == null || !AMI_USERNAME.matcher(stripped).matches()) {
            throw new InvalidInputException("amiUsername", "must be 1 to 80 letters, digits, '.', '_', '-' or '@'");
        }
        return stripped;
    }

    private static String secret(String secret) {
        if (secret == null || secret.isEmpty() || secret.length() > 200 || secret.contains("\n") || secret.contains("\r")) {
            throw new InvalidInputException("amiSecret", "is required: 1 to 200 characters on one line");
        }
        return secret;
    }

    private AsteriskServer merge(AsteriskServer s, AsteriskServerController.AsteriskServerInput in) {
        String name = InputChecks.name("name", InputChecks.or(in.name(), s.name()), 100);
        if (servers.nameTaken(name, s.id())) {
            throw new InvalidInputException("name", "a server named '" + name + "' exists already");
        }
        String systemName = InputChecks.text(in.systemName(), s.systemName());
        if (systemName != null) {
            InputChecks.token("systemName", systemName);
        }
        double cps = InputChecks.range("maxCallsPerSecond", InputChecks.or(in.maxCallsPerSecond(),
                s.maxCallsPerSecond().doubleValue()), 0.1, 1000);
        return new AsteriskServer(s.id(), name, InputChecks.host("host", InputChecks.or(in.host(), s.host())),
                InputChecks.range("amiPort", InputChecks.or(in.amiPort(), s.amiPort()), 1, 65535),
                amiUsername(InputChecks.or(in.amiUsername(), s.amiUsername())), systemName,
                BigDecimal.valueOf(cps).setScale(2, java.math.RoundingMode.HALF_UP),
                InputChecks.range("maxOriginatesInFlight", InputChecks.or(in.maxOriginatesInFlight(),
                        s.maxOriginatesInFlight()), 1, 10000),
                InputChecks.or(in.active(), s.active()), null, null);
    }
}
