package io.capconduit.dialer;

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

    /** Moves the endpoint's agent from one of {@code from} to {@code to}; wrap-up lasts its longest campaign's. */
    @Update("""
            <script>
            UPDATE agents a SET state = #{to}, pause_reason = NULL, state_changed_at = now(), updated_at = now(),
                current_channel = CASE WHEN #{to} = 'ON_CALL' THEN a.current_channel END,
                wrap_up_until = CASE WHEN #{to} = 'WRAP_UP' THEN now() + make_interval(secs =>
                    (SELECT coalesce(max(c.wrap_up_seconds), 0) FROM agent_campaigns ac
                     JOIN campaigns c ON c.id = ac.campaign_id WHERE ac.agent_id = a.id)) END
            WHERE a.endpoint = #{endpoint} AND a.state IN
            <foreach item="state" collection="from" open="(" separator="," close=")">#{state}</foreach>
            </script>""")
    int move(@Param("endpoint") String endpoint, @Param("from") List<Agent.State> from, @Param("to") Agent.State to);

    @Select("SELECT EXISTS (SELECT 1 FROM agents WHERE id = #{agentId})")
    @Options(useCache = false)
    boolean exists(long agentId);
}
