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
            + "client_id, setting_id, clients_tried, targets_tried, agent_id, lead_id, start_time, answer_time, end_time, "
            + "duration, billsec, disposition, hangup_cause, unrouted_reason, billable, recording_file";

    @Select("SELECT " + COLUMNS + " FROM call_logs WHERE id = #{id}")
    @ResultMap("callLog")
    Optional<CallLog> findById(long id);

    /** The recordings of these call logs, oldest first. */
    @Select("<script>SELECT id, call_log_id, file_name, created_at FROM recordings WHERE call_log_id IN "
            + "<foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach> ORDER BY id</script>")
    List<Recording> recordingsOf(@Param("ids") List<Long> callLogIds);

    /** A recording's file name and the seller of its call log (null: no call log, or one of no seller). */
    @Select("SELECT r.id, r.file_name, cl.seller_id FROM recordings r LEFT JOIN call_logs cl ON cl.id = r.call_log_id "
            + "WHERE r.id = #{id}")
    Optional<RecordedFile> findRecordedFile(long id);

    record RecordedFile(long id, String fileName, Long sellerId) {
    }

    /** The call logs of these linked ids; {@code scope} confines them to one seller's. */
    @Select("<script>SELECT " + COLUMNS + " FROM call_logs WHERE linked_id IN "
            + "<foreach collection='linkedIds' item='id' open='(' separator=',' close=')'>#{id}</foreach>"
            + "<if test='scope != null'> AND seller_id = #{scope}</if></script>")
    @ResultMap("callLog")
    List<CallLog> findByLinkedIds(@Param("linkedIds") List<String> linkedIds, @Param("scope") Long scope);

    /** A keyset page, newest first (CallLogMapper.xml); {@code scope} confines it to one seller. */
    List<CallLog> findPage(@Param("filter") CallLogFilter filter, @Param("scope") Long scope,
            @Param("after") KeysetCursor after, @Param("limit") int limit);
}
