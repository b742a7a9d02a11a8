package io.capconduit.telephony;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * The AMI connection of each active Asterisk server ({@code asteriskServers} in the health components): connected or
 * not, since when. A server down is {@link #DEGRADED}, never DOWN: the application still serves its API and the
 * other servers still take calls, so neither the health status load balancers read nor the probes may fail over it.
 * DEGRADED is in no status order, so it leaves the aggregate status alone and the probe groups do not include it.
 */
@Component
class AsteriskServersHealthIndicator implements HealthIndicator {

    /** Some active server is not connected over AMI: it gets no calls, the others do. */
    static final Status DEGRADED = new Status("DEGRADED", "an active Asterisk server is not connected over AMI");

    private final AsteriskServerMapper servers;
    private final AmiConnections ami;

    AsteriskServersHealthIndicator(AsteriskServerMapper servers, AmiConnections ami) {
        this.servers = servers;
        this.ami = ami;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean allConnected = true;
        // a handful of rows, read without the AMI secret (AsteriskServer has none)
        for (AsteriskServer server : servers.findAll()) {
            if (!server.active()) {
                continue;
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("id", server.id());
            AmiConnections.ConnectionState state = ami.connectionState(server.id()).orElse(null);
            detail.put("connected", state != null && state.connected());
            if (state != null) {
                detail.put("since", state.since().toString());
            }
            else {
                detail.put("note", "no AMI connection kept by this instance (capconduit.ami.auto-connect)");
            }
            allConnected &= state != null && state.connected();
            details.put(server.name(), detail);
        }
        return Health.status(allConnected ? Status.UP : DEGRADED).withDetails(details).build();
    }
}
