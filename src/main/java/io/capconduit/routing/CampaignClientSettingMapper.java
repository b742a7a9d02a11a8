package io.capconduit.routing;

import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Select;

@Mapper
public interface CampaignClientSettingMapper {

    String COLUMNS = "id, campaign_id, client_id, priority, weight, max_concurrent, total_cap, cap_period, active, "
            + "in_flight, cap_used, cap_window_start, last_routed_at, created_at, updated_at";

    @Select("SELECT " + COLUMNS + " FROM campaign_client_settings WHERE id = #{id}")
    Optional<CampaignClientSetting> findById(long id);

    @Select("SELECT " + COLUMNS + " FROM campaign_client_settings WHERE campaign_id = #{campaignId} "
            + "ORDER BY priority, weight DESC, id")
    List<CampaignClientSetting> findByCampaign(long campaignId);
}
