package io.capconduit.system;

import java.util.List;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Select;

/** The counts behind the operations gauges; each reads a partial index or a small table. */
@Mapper
interface OperationsMetricsMapper {

    /** route_claims_open_call_uidx holds exactly the open claims. */
    @Select("SELECT count(*) FROM route_claims WHERE released_at IS NULL")
    long openRouteClaims();

    /** outbound_queue_handout_idx holds exactly the waiting entries. */
    @Select("SELECT count(*) FROM outbound_queue WHERE status = 'QUEUED'")
    long hopperWaiting();

    @Select("SELECT state, count(*) AS agents FROM agents WHERE active GROUP BY state")
    List<AgentStateCount> activeAgentsByState();

    /** How many active agents are in one state. */
    record AgentStateCount(String state, long agents) {
    }
}
