package io.capconduit.calls;

import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/**
 * What a call event's row does not carry: the campaign, buyer and seller behind a setting or a campaign; and the call
 * logs CDR reconciliation announces by cdr id range.
 */
@Mapper
interface CallEventMapper {

    /** Whose a campaign (or a setting's campaign) is; {@code clientId} is null for a campaign. */
    record Owner(long campaignId, Long clientId, Long sellerId) {
    }

    @Select("""
            SELECT s.campaign_id, s.client_id, c.seller_id
            FROM campaign_client_settings s JOIN campaigns c ON c.id = s.campaign_id WHERE s.id = #{settingId}""")
    Optional<Owner> ownerOfSetting(long settingId);

    @Select("SELECT id AS campaign_id, NULL::bigint AS client_id, seller_id FROM campaigns WHERE id = #{campaignId}")
    Optional<Owner> ownerOfCampaign(long campaignId);

    /**
     * The call logs of the calls with a cdr row in ids (from, to], by id: the linked ids of the range (its primary
     * key), each call log by its unique linked id.
     */
    @Select("""
            SELECT 'LOGGED' AS kind, cl.linked_id, cl.queue_entry_id AS entry_id, cl.id AS call_log_id, cl.direction,
                   cl.campaign_id, cl.seller_id, cl.client_id, cl.agent_id, cl.lead_id, cl.disposition AS detail,
                   coalesce(cl.end_time, cl.start_time) AS at
            FROM call_logs cl
            WHERE cl.linked_id IN (SELECT c.linkedid FROM cdr c WHERE c.id > #{from} AND c.id <= #{to})
            ORDER BY cl.id""")
    List<CallEvent> loggedCalls(@Param("from") long from, @Param("to") long to);
}
