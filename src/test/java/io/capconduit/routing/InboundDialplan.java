package io.capconduit.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code [from-pstn]} / {@code [inbound-route]} dialplan of {@code asterisk-conf/extensions.conf}, step by
 * step, with its func_odbc calls sent through {@link FuncOdbc} and Dial() answered by the test's buyers
 * (endpoint -> DIALSTATUS). CI has no Asterisk; this runs everything the database sees of a call.
 */
final class InboundDialplan {

    private final FuncOdbc odbc;

    InboundDialplan(FuncOdbc odbc) {
        this.odbc = odbc;
    }

    /** One call: the number as the carrier sends it (EXTEN), the channel's UNIQUEID, the buyers' behaviour. */
    Call call(String exten, String uniqueId, Function<String, String> buyers) {
        Call call = new Call(FuncOdbc.filter("0-9A-Za-z._", uniqueId));
        String did = FuncOdbc.filter("0-9", exten);
        call.cdr.put("direction", "INBOUND");
        call.cdr.put("did", did);
        call.cdr.put("targets_tried", "0");
        if (did.isEmpty()) {
            return call.unrouted("UNKNOWN_DID", 1);
        }
        List<List<String>> candidates = odbc.fetchAll("ODBC_ROUTE_CALL", did, call.uid);
        if (candidates.isEmpty() || candidates.get(0).size() != 10) {
            return call.unrouted("DB_ERROR", 34);
        }
        List<String> route = candidates.get(0);
        call.cdr.put("did", route.get(2));
        if (!"ROUTED".equals(route.get(0))) {
            return call.unrouted(route.get(0), 1);
        }
        call.cdr.put("seller_id", route.get(3));
        call.cdr.put("campaign_id", route.get(4));
        call.cdr.put("strategy", route.get(5));
        // the first row's buyer comes claimed (an empty one: no buyer could take the call); the others, the
        // failover, are claimed in turn
        for (int i = 0; i < candidates.size() && !route.get(7).isEmpty(); i++) {
            List<String> candidate = candidates.get(i);
            if (i > 0 && !"CLAIMED".equals(odbc.value("ODBC_ROUTE_CLAIM", call.uid, candidate.get(7)))) {
                continue;
            }
            call.tried.add(candidate.get(9));
            call.cdr.put("targets_tried", String.valueOf(call.tried.size()));
            call.cdr.put("setting_id", candidate.get(7));
            call.cdr.put("client_id", candidate.get(8));
            call.cdr.put("route_status", "ROUTED");
            String dialStatus = buyers.apply(FuncOdbc.filter("0-9A-Za-z_.\\-", candidate.get(9)));
            if ("ANSWER".equals(dialStatus)) {
                odbc.value("ODBC_ROUTE_ANSWER", call.uid);   // Dial U(route-answered^...)
                call.answered = candidate.get(9);
                return call;
            }
            odbc.value("ODBC_ROUTE_RELEASE", call.uid, dialStatus);
        }
        return call.unrouted(call.tried.isEmpty() ? "NO_TARGET" : "ALL_FAILED", 34);
    }

    /** What the call did; {@link #hangup()} runs the hangup handler. */
    final class Call {
        final String uid;
        final Map<String, String> cdr = new LinkedHashMap<>();
        final List<String> tried = new ArrayList<>();
        String answered;
        Integer hangupCause;

        private Call(String uid) {
            this.uid = uid;
        }

        private Call unrouted(String reason, int cause) {
            cdr.put("route_status", "UNROUTED");
            cdr.put("unrouted_reason", reason);
            hangupCause = cause;
            return this;
        }

        /**
         * [route-hangup]: the cause the call ended with into its CDR (an answered call ends normally, 16), then
         * release whatever the call still holds.
         */
        String hangup() {
            cdr.put("userfield", String.valueOf(hangupCause != null ? hangupCause : 16));
            return odbc.value("ODBC_ROUTE_RELEASE", uid, "HANGUP");
        }
    }
}
