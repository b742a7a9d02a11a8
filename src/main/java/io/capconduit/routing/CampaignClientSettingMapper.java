package io.capconduit.routing;

import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Update;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Select;

@Mapper
public interface CampaignClientSettingMapper {

    String COLUMNS = "id, campaign_id, client_id, priority, weight, max_concurrent, total_cap, cap_period, active, "
            + "in_flight, cap_used, cap_window_start, last_routed_at, created_at, updated_at";

    @Select("SELECT " + COLUMNS + " FROM campaign_client_settings WHERE id = #{id}")
    Optional<CampaignClientSetting> findById(long id);

    /**
     * The setting a mutation changes, locked until its transaction ends, so concurrent mutations apply one after
     * the other. {@code scope} confines to the settings of one seller's campaigns, which alone are locked.
     */
    @Select("<script>SELECT " + COLUMNS + " FROM campaign_client_settings WHERE id = #{id}"
            + "<if test='scope != null'> AND campaign_id IN (SELECT id FROM campaigns WHERE seller_id = #{scope})</if>"
            + " FOR NO KEY UPDATE</script>")
    Optional<CampaignClientSetting> findByIdForUpdate(@Param("id") long id, @Param("scope") Long scope);

    @Select("SELECT " + COLUMNS + " FROM campaign_client_settings WHERE campaign_id = #{campaignId} "
            + "ORDER BY priority, weight DESC, id")
    List<CampaignClientSetting> findByCampaign(long campaignId);

    @Select("<script>SELECT " + COLUMNS + " FROM campaign_client_settings WHERE campaign_id IN <foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach> "
            + "ORDER BY priority, weight DESC, id</script>")
    List<CampaignClientSetting> findByCampaigns(@Param("ids") List<Long> ids);

    @Select("SELECT EXISTS (SELECT 1 FROM campaign_client_settings WHERE campaign_id = #{campaignId} "
            + "AND client_id = #{clientId})")
    boolean exists(@Param("campaignId") long campaignId, @Param("clientId") long clientId);

    @Select("INSERT INTO campaign_client_settings (campaign_id, client_id, priority, weight, max_concurrent, total_cap, "
            + "cap_period, active) VALUES (#{campaignId}, #{clientId}, #{priority}, #{weight}, #{maxConcurrent}, "
            + "#{totalCap}, #{capPeriod}, #{active}) RETURNING id")
    @Options(flushCache = Options.FlushCachePolicy.TRUE)
    long insert(CampaignClientSetting setting);

    @Update("UPDATE campaign_client_settings SET priority = #{priority}, weight = #{weight}, "
            + "max_concurrent = #{maxConcurrent}, total_cap = #{totalCap}, cap_period = #{capPeriod}, "
            + "active = #{active}, updated_at = now() WHERE id = #{id}")
    int update(CampaignClientSetting setting);
}
