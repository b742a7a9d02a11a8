package io.capconduit.calls;

import java.util.List;
import java.util.Optional;

import io.capconduit.system.graphql.KeysetCursor;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.ResultMap;
import org.apache.ibatis.annotations.Select;

@Mapper
public interface CallLogMapper {

    String COLUMNS = "id, linked_id, direction, seller_id, campaign_id, did_id, did_number, caller_id, destination, "
            + "client_id, setting_id, targets_tried, agent_id, lead_id, start_time, answer_time, end_time, duration, "
            + "billsec, disposition, hangup_cause, unrouted_reason, billable, recording_file";

    @Select("SELECT " + COLUMNS + " FROM call_logs WHERE id = #{id}")
    @ResultMap("callLog")
    Optional<CallLog> findById(long id);

    /** A keyset page, newest first (CallLogMapper.xml); {@code scope} confines it to one seller. */
    List<CallLog> findPage(@Param("filter") CallLogFilter filter, @Param("scope") Long scope,
            @Param("after") KeysetCursor after, @Param("limit") int limit);

    /** One client a call was offered to (a failover call has several, in the order they were offered). */
    record ClientTried(long callLogId, long clientId) {
    }

    /** The clients each of these call logs' calls was offered to, in order: one statement for a page. */
    @Select("<script>SELECT c.id AS call_log_id, t.client_id FROM call_logs c"
            + " CROSS JOIN LATERAL unnest(c.clients_tried) WITH ORDINALITY AS t (client_id, n)"
            + " WHERE c.id IN <foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach>"
            + " ORDER BY c.id, t.n</script>")
    List<ClientTried> clientsTried(@Param("ids") List<Long> ids);
}
