package io.capconduit.dialer;

import java.time.Instant;
import java.util.List;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** Agent state changes, by the API and by AMI events (agents are matched by their PJSIP endpoint). */
@Mapper
interface AgentStateMapper {

    String COLUMNS = "id AS agent_id, name, extension, state, pause_reason, state_changed_at, wrap_up_until, "
            + "current_channel";

    @Select("SELECT " + COLUMNS + " FROM agents WHERE id = #{agentId}")
    AgentStatus find(long agentId);

    @Select("SELECT " + COLUMNS + " FROM agents a WHERE a.active AND (#{campaignId}::bigint IS NULL OR EXISTS "
            + "(SELECT 1 FROM agent_campaigns ac WHERE ac.agent_id = a.id AND ac.campaign_id = #{campaignId})) "
            + "ORDER BY a.name, a.id")
    List<AgentStatus> findActive(@Param("campaignId") Long campaignId);

    /**
     * A change by the API: never while a dialer call holds the agent. An agent ON_CALL that no ringing or
     * answered dialer call names (its end was missed: events lost while AMI was down) can be set by staff, or it
     * would stay ON_CALL until its phone's next state change. Returns the rows changed.
     */
    @Update("UPDATE agents SET state = #{state}, pause_reason = #{pauseReason}, wrap_up_until = NULL, "
            + "current_channel = NULL, state_changed_at = now(), updated_at = now() WHERE id = #{agentId} "
            + "AND (state <> 'ON_CALL' OR NOT EXISTS (SELECT 1 FROM outbound_queue q "
            + "WHERE q.agent_id = agents.id AND q.status = 'DIALING'))")
    int set(@Param("agentId") long agentId, @Param("state") Agent.State state,
            @Param("pauseReason") String pauseReason);

    @Update("UPDATE agents SET state = 'AVAILABLE', wrap_up_until = NULL, state_changed_at = now(), "
            + "updated_at = now() WHERE id = #{agentId} AND state = 'WRAP_UP'")
    int endWrapUp(long agentId);

    /** How long agent a's wrap-up lasts: its longest campaign's. */
    String WRAP_UP_END = " now() + make_interval(secs => (SELECT coalesce(max(c.wrap_up_seconds), 0) "
            + "FROM agent_campaigns ac JOIN campaigns c ON c.id = ac.campaign_id WHERE ac.agent_id = a.id)) ";

    /**
     * Moves the endpoint's agent from one of {@code from} to {@code to}, as an event of server {@code serverId}
     * that reached this application instance at {@code receivedAt} says (an agent put ON_CALL remembers which
     * server's), only out of a state the agent entered no later than that: every instance hears every event and
     * handles it in its own time, and one that gets to it after the agent moved on (its wrap-up ended, it took the
     * next lead, staff changed it) would otherwise undo the newer state. The move is stamped with the event's
     * arrival, so the next event of the same call, which arrived after it, still applies however late it is handled.
     * An arrival is known to the millisecond (asterisk-java's Date), a change to the microsecond: compared in
     * milliseconds, an event that came in the millisecond of the change, after it, still moves the agent.
     */
    @Update("""
            <script>
            UPDATE agents a SET state = #{to}, pause_reason = NULL, state_changed_at = #{receivedAt},
                updated_at = now(),
                current_channel = CASE WHEN #{to} = 'ON_CALL' THEN a.current_channel END,
                on_call_server_id = CASE WHEN #{to} = 'ON_CALL' THEN #{serverId}::bigint END,
                wrap_up_until = CASE WHEN #{to} = 'WRAP_UP' THEN """ + WRAP_UP_END + """
             END
            WHERE a.endpoint = #{endpoint} AND date_trunc('milliseconds', a.state_changed_at) &lt;= #{receivedAt}
              AND a.state IN
            <foreach item="state" collection="from" open="(" separator="," close=")">#{state}</foreach>
            </script>""")
    int move(@Param("endpoint") String endpoint, @Param("from") List<Agent.State> from, @Param("to") Agent.State to,
            @Param("serverId") long serverId, @Param("receivedAt") Instant receivedAt);

    /** Whether a server's events put an agent ON_CALL before {@code before} who is still so. */
    @Select("SELECT EXISTS (SELECT 1 FROM agents WHERE state = 'ON_CALL' AND on_call_server_id = #{serverId} "
            + "AND state_changed_at < #{before})")
    @Options(useCache = false)
    boolean anyOnCallBefore(@Param("serverId") long serverId, @Param("before") Instant before);

    /**
     * Agents a server's events put ON_CALL before {@code before} (a reconnect), that no dialer call holds and whose
     * endpoint has no channel up on that server now ({@code busy}: the endpoints that have one): the end of their
     * call was missed while AMI was down. Wrap-up, as the missed hangup would have done.
     */
    @Update("""
            UPDATE agents a SET state = 'WRAP_UP', current_channel = NULL, on_call_server_id = NULL,
                state_changed_at = now(), updated_at = now(), wrap_up_until = """ + WRAP_UP_END + """

            WHERE a.state = 'ON_CALL' AND a.on_call_server_id = #{serverId} AND a.state_changed_at < #{before}
              AND a.endpoint <> ALL(#{busy,typeHandler=org.apache.ibatis.type.ArrayTypeHandler}::text[])
              AND NOT EXISTS (SELECT 1 FROM outbound_queue q WHERE q.agent_id = a.id AND q.status = 'DIALING')""")
    int endMissedCalls(@Param("serverId") long serverId, @Param("before") Instant before,
            @Param("busy") String[] busy);

    /**
     * Holds an agent the dialer may hand calls to (AVAILABLE, or WRAP_UP, which ends by itself) for its click-to-call
     * {@code channelId}: ON_CALL from the moment it is placed, since its phone says nothing while it rings. The Hangup
     * of its channel ends the hold as any call's does (wrap-up); so does a reconnect that finds it gone. Returns the
     * rows changed: 0 for an agent in another state, left as it is.
     */
    @Update("UPDATE agents SET state = 'ON_CALL', current_channel = #{channelId}, on_call_server_id = #{serverId}, "
            + "wrap_up_until = NULL, state_changed_at = now(), updated_at = now() "
            + "WHERE id = #{agentId} AND state IN ('AVAILABLE', 'WRAP_UP')")
    int holdForClickToCall(@Param("agentId") long agentId, @Param("channelId") String channelId,
            @Param("serverId") long serverId);

    /** Frees the agent held for a click-to-call that made no call (so no Hangup will), if it is still held for it. */
    @Update("UPDATE agents SET state = 'AVAILABLE', current_channel = NULL, on_call_server_id = NULL, "
            + "state_changed_at = now(), updated_at = now() WHERE state = 'ON_CALL' AND current_channel = #{channelId}")
    int releaseClickToCallHold(String channelId);

    @Select("SELECT state FROM agents WHERE id = #{agentId}")
    @Options(useCache = false)
    Agent.State state(long agentId);

    @Select("SELECT EXISTS (SELECT 1 FROM agents WHERE id = #{agentId})")
    @Options(useCache = false)
    boolean exists(long agentId);
}
