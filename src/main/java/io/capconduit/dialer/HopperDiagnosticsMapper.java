package io.capconduit.dialer;

import java.util.List;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

@Mapper
interface HopperDiagnosticsMapper {

    @Select("SELECT * FROM hopper_fill_runs WHERE campaign_id = #{campaignId} ORDER BY ran_at DESC, id DESC "
            + "LIMIT #{last}")
    List<HopperFillRun> latest(@Param("campaignId") long campaignId, @Param("last") int last);

    /** The seller owning an outbound campaign; null when there is no such outbound campaign. */
    @Select("SELECT seller_id FROM campaigns WHERE id = #{campaignId} AND direction = 'OUTBOUND'")
    Long outboundCampaignSeller(long campaignId);

    @Select("SELECT active FROM campaigns WHERE id = #{campaignId}")
    boolean campaignActive(long campaignId);

    @Select("""
            SELECT r.id AS recording_id, r.file_name, r.linked_id, cl.id AS call_log_id, cl.campaign_id, cl.lead_id,
                   cl.agent_id, cl.start_time, cl.billsec, r.created_at
            FROM recordings r JOIN call_logs cl ON cl.id = r.call_log_id
            WHERE cl.direction = 'OUTBOUND'
              AND (#{campaignId}::bigint IS NULL OR cl.campaign_id = #{campaignId})
              AND (#{sellerId}::bigint IS NULL OR cl.seller_id = #{sellerId})
            ORDER BY r.id DESC LIMIT #{first}""")
    List<OutboundRecording> recordings(@Param("campaignId") Long campaignId, @Param("sellerId") Long sellerId,
            @Param("first") int first);

    record OutboundRecording(long recordingId, String fileName, String linkedId, Long callLogId, Long campaignId,
            Long leadId, Long agentId, java.time.Instant startTime, Integer billsec, java.time.Instant createdAt) {
    }
}
