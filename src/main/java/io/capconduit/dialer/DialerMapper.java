package io.capconduit.dialer;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** The progressive dialer's SQL: pacing figures, SKIP LOCKED hand-out, outcomes (long ones in the XML). */
@Mapper
interface DialerMapper {

    /** An active outbound campaign with what one tick needs. */
    record DialCampaign(long id, BigDecimal dialRatio, BigDecimal maxAbandonRate, LocalTime callWindowStart,
            LocalTime callWindowEnd, String fallbackZone, int dialTimeoutSeconds, String callerId,
            String trunkEndpoint, String dialPrefix, String abandonMessage) {
    }

    /** What the tick knows about one campaign now. */
    record Load(int availableAgents, int inFlight, int answered30d, int abandoned30d) {
    }

    /** One server's room for new originates now. */
    record ServerLoad(long id, BigDecimal maxCallsPerSecond, int maxOriginatesInFlight, int inFlight,
            int lastSecond, int lastTenSeconds) {
    }

    /** A queue entry handed to this instance for dialing. */
    record HandedOut(long entryId, long leadId, String channelId, String phone) {
    }

    List<DialCampaign> findActiveOutbound();

    DialCampaign findCampaign(long campaignId);

    Load load(long campaignId);

    List<ServerLoad> serverLoads();

    /** Queued entries whose number went on the DNC list after queueing: closed, never dialed. */
    @Update("""
            WITH closed AS (
                UPDATE outbound_queue q SET status = 'DONE', outcome = 'DNC', done_at = now()
                FROM leads l, dnc_numbers d
                WHERE q.campaign_id = #{campaignId} AND q.status = 'QUEUED' AND l.id = q.lead_id AND d.phone = l.phone
                RETURNING q.lead_id)
            UPDATE leads SET status = 'DNC', last_outcome = 'DNC', updated_at = now()
            WHERE id IN (SELECT lead_id FROM closed)""")
    int closeDncEntries(long campaignId);

    /** Queued entries whose lead is no longer dialable (settled, out of attempts, not yet due): cancelled. */
    int cancelUndialable(long campaignId);

    List<HandedOut> handOut(@Param("campaign") DialCampaign campaign, @Param("serverId") long serverId,
            @Param("count") int count, @Param("zones") String[] zones);

    /**
     * Waits for any other hand-out to end ('DIAL'), held to the end of the transaction: a hand-out reads the load it
     * paces by (calls ringing, agents free, each server's room) after the one before committed. Quartz runs one tick
     * at a time, but fires it in another instance when it takes a stalled one for dead, whose tick then goes on.
     */
    @Select("SELECT 1 FROM pg_advisory_xact_lock(1145651532, 0)")
    @Options(useCache = false)
    Integer lockHandOut();

    /**
     * Frees the agent held for the queue entry in a CTE named {@code taken} (its agent_id): still ON_CALL, as
     * settle would find it. current_channel holds the channel's name, not our ChannelId, so the agent is matched
     * by id.
     */
    String FREE_TAKEN_AGENT = """

            UPDATE agents a SET state = 'AVAILABLE', state_changed_at = now(), current_channel = NULL,
                   updated_at = now()
            FROM taken t WHERE a.id = t.agent_id AND a.state = 'ON_CALL'""";

    /**
     * Back to the hopper as if never taken: a hand-out AMI refused before sending. What that attempt left (its
     * outcome, its agent) is forgotten, or the next attempt would settle as it did; an agent held for it (still
     * ON_CALL, as settle would find it) is free again. By our ChannelId and only while DIALING: an entry another
     * recovery put back and a tick handed out again has a new ChannelId, so it is never put back twice.
     */
    @Update("""
            WITH taken AS (
                SELECT id, lead_id, agent_id FROM outbound_queue
                WHERE channel_id = #{channelId} AND status = 'DIALING' FOR UPDATE""" + PUT_BACK_TAKEN)
    int requeue(String channelId);

    /**
     * Puts back, as {@link #requeue}, an unanswered call recovery found neither up nor in the CDR, only if it was
     * first found so (marked by {@link #markMissing}) at least {@code seconds} ago and is still DIALING, unanswered
     * and without a CDR row: a call that rang out a moment before the channel list was taken is settled meanwhile
     * by its Hangup (in whichever application instance heard it) or gets its CDR row. Decided by this one statement,
     * under the entry's row lock, whichever instance runs it: 1 if put back.
     */
    @Update("""
            WITH taken AS (
                SELECT id, lead_id, agent_id FROM outbound_queue
                WHERE channel_id = #{channelId} AND status = 'DIALING' AND answered_at IS NULL
                  AND missing_since <= now() - make_interval(secs => #{seconds})
                  AND NOT EXISTS (SELECT 1 FROM cdr c WHERE c.uniqueid = #{channelId})
                FOR UPDATE""" + PUT_BACK_TAKEN)
    int requeueMissing(@Param("channelId") String channelId, @Param("seconds") double seconds);

    /** The rest of a put-back after a CTE {@code taken} that locked the entry (id, lead_id, agent_id). */
    String PUT_BACK_TAKEN = """

            ), back AS (
                UPDATE outbound_queue q SET status = 'QUEUED', dialing_at = NULL, server_id = NULL, channel_id = NULL,
                       answered_at = NULL, outcome = NULL, agent_id = NULL, hangup_cause = NULL, missing_since = NULL
                FROM taken t WHERE q.id = t.id RETURNING q.lead_id
            ), freed AS (""" + FREE_TAKEN_AGENT + """
            )
            UPDATE leads SET attempts = greatest(attempts - 1, 0) WHERE id IN (SELECT lead_id FROM back)""";

    /** A DIALING entry's call was first found neither up nor in the CDR now (a later look may put it back). */
    @Update("UPDATE outbound_queue SET missing_since = now() "
            + "WHERE channel_id = #{channelId} AND status = 'DIALING' AND missing_since IS NULL")
    int markMissing(String channelId);

    /**
     * OriginateResponse Success: the lead answered. Returns the entry's campaign, or null if not ours or if its
     * answer was already taken: every application instance has its own AMI connection and hears the same event,
     * and only the first may give the call an agent.
     */
    @Select("""
            UPDATE outbound_queue SET answered_at = now()
            WHERE channel_id = #{channelId} AND status = 'DIALING' AND answered_at IS NULL RETURNING campaign_id""")
    @Options(flushCache = Options.FlushCachePolicy.TRUE, useCache = false)
    Long markAnswered(String channelId);

    /** Takes the longest-waiting available agent of the campaign for an answered call. */
    @Select("""
            UPDATE agents a SET state = 'ON_CALL', state_changed_at = now(), current_channel = #{channel},
                   wrap_up_until = NULL, updated_at = now()
            WHERE a.id = (SELECT x.id FROM agents x JOIN agent_campaigns ac ON ac.agent_id = x.id
                          WHERE ac.campaign_id = #{campaignId} AND x.active AND x.state = 'AVAILABLE'
                          ORDER BY x.state_changed_at, x.id LIMIT 1 FOR UPDATE OF x SKIP LOCKED)
            RETURNING a.id, a.endpoint""")
    @Options(flushCache = Options.FlushCachePolicy.TRUE, useCache = false)
    AgentClaim claimAgent(@Param("campaignId") long campaignId, @Param("channel") String channel);

    record AgentClaim(long id, String endpoint) {
    }

    @Update("UPDATE outbound_queue SET agent_id = #{agentId}, outcome = #{outcome} "
            + "WHERE channel_id = #{channelId} AND status = 'DIALING'")
    int setAnsweredOutcome(@Param("channelId") String channelId, @Param("agentId") Long agentId,
            @Param("outcome") String outcome);

    /**
     * Settles a DIALING entry (by our ChannelId): DONE with the outcome (an outcome set on answer wins), the
     * lead's next attempt after the campaign's retry delay for that outcome (or the lead DONE: answered, out of
     * attempts, or DISCONNECTED where the campaign closes those), and its agent into wrap-up. Settling twice is a no-op. Returns the number of entries settled (0 or 1).
     */
    int settle(@Param("channelId") String channelId, @Param("outcome") String outcome,
            @Param("hangupCause") Integer hangupCause);

    /**
     * DIALING entries of deactivated servers that should have ended long ago: no reconnect will ever recover them.
     * Unanswered ones after {@code unansweredSeconds} (far past any dial timeout), answered ones when their answer is
     * {@code answeredSeconds} old.
     */
    @Select("""
            SELECT q.channel_id
            FROM outbound_queue q JOIN asterisk_servers s ON s.id = q.server_id
            WHERE q.status = 'DIALING' AND NOT s.active
              AND CASE WHEN q.answered_at IS NULL THEN q.dialing_at < now() - make_interval(secs => #{unansweredSeconds})
                       ELSE q.answered_at < now() - make_interval(secs => #{answeredSeconds}) END
            ORDER BY q.id""")
    List<String> orphans(@Param("unansweredSeconds") long unansweredSeconds,
            @Param("answeredSeconds") long answeredSeconds);

    /** DIALING entries of a server handed out before a time: the candidates of recovery after a reconnect. */
    @Select("SELECT channel_id FROM outbound_queue WHERE server_id = #{serverId} AND status = 'DIALING' "
            + "AND dialing_at < #{before}")
    List<String> dialingBefore(@Param("serverId") long serverId, @Param("before") Instant before);

    /** A DIALING entry as recovery sees it. */
    record Dialing(boolean young, boolean answered, boolean missing) {
    }

    /**
     * Whether a DIALING entry was handed out less than {@code seconds} ago by the database's clock, whether it
     * was answered, and whether a recovery found its call missing (see {@link #markMissing}); null when the entry
     * is no longer DIALING.
     */
    @Select("SELECT dialing_at > now() - make_interval(secs => #{seconds}) AS young, answered_at IS NOT NULL "
            + "AS answered, missing_since IS NOT NULL AS missing "
            + "FROM outbound_queue WHERE channel_id = #{channelId} AND status = 'DIALING'")
    Dialing dialing(@Param("channelId") String channelId, @Param("seconds") int seconds);

    /** The call of an entry found missing showed after all (its Originate was late): no longer missing. */
    @Update("UPDATE outbound_queue SET missing_since = NULL WHERE channel_id = #{channelId} AND status = 'DIALING' "
            + "AND missing_since IS NOT NULL")
    int clearMissing(String channelId);

    /** A DIALING entry of a server. */
    record ServerCall(long serverId, String channelId) {
    }

    /**
     * DIALING entries of active servers that should have ended by now: unanswered ones {@code graceSeconds} past
     * their dial timeout, answered ones {@code answeredSeconds} after their answer. Their events may have been lost
     * while the connection stayed up (an application instance gone between hand-out and Originate, a settle the
     * database failed), so no reconnect would ever look at them.
     */
    @Select("""
            SELECT q.server_id, q.channel_id
            FROM outbound_queue q JOIN asterisk_servers s ON s.id = q.server_id AND s.active
            JOIN campaigns c ON c.id = q.campaign_id
            WHERE q.status = 'DIALING'
              AND CASE WHEN q.answered_at IS NULL
                       THEN q.dialing_at < now() - make_interval(secs => greatest(c.dial_timeout_seconds, 10)
                                                                          + #{graceSeconds})
                       ELSE q.answered_at < now() - make_interval(secs => #{answeredSeconds}) END
            ORDER BY q.server_id, q.id""")
    List<ServerCall> overdue(@Param("graceSeconds") long graceSeconds, @Param("answeredSeconds") long answeredSeconds);

    /** The CDR disposition of a call (its answered row first), if Asterisk wrote one. */
    @Select("SELECT disposition FROM cdr WHERE uniqueid = #{channelId} "
            + "ORDER BY (disposition = 'ANSWERED') DESC, id DESC LIMIT 1")
    String cdrDisposition(String channelId);

    /** Whether the call ended on the abandon message (extensions_outbound.conf marks its CDR so). */
    @Select("SELECT EXISTS (SELECT 1 FROM cdr WHERE uniqueid = #{channelId} AND userfield = 'ABANDONED')")
    boolean cdrAbandoned(String channelId);

    /**
     * An answered call that never reached its agent (the Redirect was not sent): ABANDONED, whatever was set on
     * answer, and the agent held for it free again. The entry stays DIALING until its hangup settles it.
     */
    @Update("""
            WITH taken AS (
                SELECT id, agent_id FROM outbound_queue
                WHERE channel_id = #{channelId} AND status = 'DIALING' FOR UPDATE
            ), marked AS (
                UPDATE outbound_queue q SET outcome = 'ABANDONED', agent_id = NULL FROM taken t WHERE q.id = t.id
            )""" + FREE_TAKEN_AGENT)
    int abandon(String channelId);

    /**
     * The agent an answered call was given did not take it (its phone rang out, refused it, or is gone): paused, so
     * the dialer hands it no more leads to abandon until a person makes it available. From ON_CALL, or from WRAP_UP
     * when its phone's NOT_INUSE came first; an agent staff or its phone moved elsewhere meanwhile stays there.
     */
    @Update("""
            UPDATE agents a SET state = 'PAUSED', pause_reason = 'Did not answer a dialer call', current_channel = NULL,
                   wrap_up_until = NULL, on_call_server_id = NULL, state_changed_at = now(), updated_at = now()
            FROM outbound_queue q
            WHERE q.channel_id = #{channelId} AND q.status = 'DIALING' AND a.id = q.agent_id
              AND a.state IN ('ON_CALL', 'WRAP_UP')""")
    int pauseAgentWhoMissed(String channelId);

    /** Wrap-ups whose time is up end by themselves. */
    @Update("UPDATE agents SET state = 'AVAILABLE', state_changed_at = now(), wrap_up_until = NULL, "
            + "updated_at = now() WHERE state = 'WRAP_UP' AND wrap_up_until <= now()")
    int endExpiredWrapUps();
}
