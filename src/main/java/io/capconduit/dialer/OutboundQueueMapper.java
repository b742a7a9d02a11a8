package io.capconduit.dialer;

import java.util.List;

import io.capconduit.system.graphql.KeysetCursor;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

@Mapper
public interface OutboundQueueMapper {

    String COLUMNS = "id, campaign_id, lead_id, status, priority, queued_at, dialing_at, done_at, server_id, channel_id, "
            + "agent_id, outcome, hangup_cause";

    /** One keyset page of a campaign's queue in id order. */
    @Select("<script>SELECT " + COLUMNS + " FROM outbound_queue WHERE campaign_id = #{campaignId}"
            + "<if test='status != null'> AND status = #{status}</if>"
            + "<if test='after != null'> AND id &gt; #{after.id}</if>"
            + " ORDER BY id LIMIT #{limit}</script>")
    List<OutboundQueueEntry> findPage(@Param("campaignId") long campaignId, @Param("status") String status,
            @Param("after") KeysetCursor after, @Param("limit") int limit);

    @Select("SELECT seller_id FROM campaigns WHERE id = #{campaignId}")
    Long findCampaignSeller(long campaignId);
}
