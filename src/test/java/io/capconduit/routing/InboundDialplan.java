package io.capconduit.routing;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Inbound calls through {@code asterisk-conf/extensions.conf} itself ({@link DialplanRunner}): a carrier's call
 * enters {@code [from-pstn]}, its func_odbc calls go to the database through {@link FuncOdbc}, and each Dial()
 * is answered by the test's buyers (endpoint -> DIALSTATUS). CI has no Asterisk; this runs everything the
 * database sees of a call, in the order the dialplan sends it.
 */
final class InboundDialplan {

    private final DialplanRunner dialplan;

    InboundDialplan(FuncOdbc odbc) {
        this.dialplan = new DialplanRunner(odbc);
    }

    /** The contact URIs each buyer's endpoint has reachable in the calls from now on (one each by default). */
    InboundDialplan contacts(Function<String, List<String>> contactsOfEndpoint) {
        dialplan.contacts(contactsOfEndpoint);
        return this;
    }

    /** The sound files Playback finds in the calls from now on (every one by default). */
    InboundDialplan sounds(Predicate<String> soundExists) {
        dialplan.sounds(soundExists);
        return this;
    }

    /** Runs {@code check} at each Playback of the calls from now on, before the file plays. */
    InboundDialplan whilePlaying(Runnable check) {
        dialplan.whilePlaying(channel -> check.run());
        return this;
    }

    /** One call: the number as the carrier sends it (EXTEN), the channel's UNIQUEID, the buyers' behaviour. */
    Call call(String exten, String uniqueId, Function<String, String> buyers) {
        return new Call(dialplan.call("from-pstn", exten, uniqueId, "15555550100", buyers));
    }

    /** What the call did so far: it is bridged to the buyer that answered, or hung up; {@link #hangup()} ends it. */
    static final class Call {
        final String uid;
        final Map<String, String> cdr;
        final List<String> tried;
        /** Every channel the Dials rang: PJSIP/endpoint/contact-uri for each reachable contact of a buyer. */
        final List<String> rang;
        /** Every MixMonitor the caller's channel started. */
        final List<DialplanRunner.MixMonitorStart> recordings;
        /** The CDR variables the answering buyer's channel set in Dial's U() routine (party B's, merged in its row). */
        final Map<String, String> answeredCdr;
        /** Every Answer and Playback the caller's channel ran, in order. */
        final List<DialplanRunner.Prompt> prompts;
        String answered;
        Integer hangupCause;
        /** No extension of [from-pstn] matches the number: chan_pjsip refused the call with 404 before the dialplan. */
        final boolean notFound;
        private final DialplanRunner.Channel channel;

        private Call(DialplanRunner.Channel channel) {
            this.channel = channel;
            this.uid = channel.vars.get("CALL_UID");
            this.cdr = channel.cdr;
            this.tried = channel.dialled;
            this.rang = channel.rang;
            this.recordings = channel.recordings;
            this.prompts = channel.prompts;
            this.answeredCdr = channel.answeredCdr;
            this.answered = channel.answered;
            this.hangupCause = channel.hangupCause;
            this.notFound = channel.notFound;
        }

        /** The dst of the call's first CDR row, as Asterisk 22 writes it ({@link DialplanRunner.Channel#cdrDst}). */
        String cdrDst() {
            return channel.cdrDst;
        }

        /** The dcontext of the call's first CDR row. */
        String cdrDcontext() {
            return channel.cdrDcontext;
        }

        /**
         * The call ends (a bridged one normally, cause 16) and its hangup handler ([route-hangup]) runs. Returns what
         * the handler's release answered (RELEASED, or NONE when nothing was held).
         */
        String hangup() {
            channel.hangup();
            hangupCause = channel.hangupCause;
            return channel.vars.get("RELEASED");
        }
    }
}
