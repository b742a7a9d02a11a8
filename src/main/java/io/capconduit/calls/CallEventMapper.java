package io.capconduit.calls;

import java.util.Optional;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Select;

/** What a call event's row does not carry: the campaign, buyer and seller behind a setting or a campaign. */
@Mapper
interface CallEventMapper {

    /** Whose a campaign (or a setting's campaign) is; {@code clientId} is null for a campaign. */
    record Owner(long campaignId, Long clientId, Long sellerId, String direction) {
    }

    @Select("""
            SELECT s.campaign_id, s.client_id, c.seller_id, c.direction
            FROM campaign_client_settings s JOIN campaigns c ON c.id = s.campaign_id WHERE s.id = #{settingId}""")
    Optional<Owner> ownerOfSetting(long settingId);

    @Select("SELECT id AS campaign_id, NULL::bigint AS client_id, seller_id, direction FROM campaigns WHERE id = #{campaignId}")
    Optional<Owner> ownerOfCampaign(long campaignId);
}
