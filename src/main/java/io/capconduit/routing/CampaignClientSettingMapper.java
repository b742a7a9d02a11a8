package io.capconduit.routing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Update;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Select;

@Mapper
public interface CampaignClientSettingMapper {

    /** The stored counters: what a change of them starts from ({@link #findByIdForUpdate}, {@link #findByClient}). */
    String COLUMNS = "id, campaign_id, client_id, priority, weight, max_concurrent, total_cap, cap_period, active, "
            + "in_flight, cap_used, cap_window_start, last_routed_at, created_at, updated_at";

    /**
     * The counters as routing reads them now (route_evaluate, capUsage): a window that rolled since the last call
     * (the reset job rolls it within a minute, a claim at once) is the current one, with nothing used in it yet.
     */
    String COLUMNS_NOW = "id, campaign_id, client_id, priority, weight, max_concurrent, total_cap, cap_period, active, "
            + "in_flight, CASE WHEN cap_window_rolls(cap_period, cap_window_start, "
            + "cap_window_start(cap_period, client_time_zone, now())) THEN 0 ELSE cap_used END AS cap_used, "
            + "CASE WHEN cap_window_rolls(cap_period, cap_window_start, "
            + "cap_window_start(cap_period, client_time_zone, now())) "
            + "THEN cap_window_start(cap_period, client_time_zone, now()) ELSE cap_window_start END AS cap_window_start, "
            + "last_routed_at, created_at, updated_at";

    @Select("SELECT " + COLUMNS_NOW + " FROM campaign_client_settings WHERE id = #{id}")
    Optional<CampaignClientSetting> findById(long id);

    /**
     * The setting a mutation changes, locked until its transaction ends, so concurrent mutations apply one after
     * the other. {@code scope} confines to the settings of one seller's campaigns, which alone are locked.
     */
    @Select("<script>SELECT " + COLUMNS + " FROM campaign_client_settings WHERE id = #{id}"
            + "<if test='scope != null'> AND campaign_id IN (SELECT id FROM campaigns WHERE seller_id = #{scope})</if>"
            + " FOR NO KEY UPDATE</script>")
    Optional<CampaignClientSetting> findByIdForUpdate(@Param("id") long id, @Param("scope") Long scope);

    @Select("SELECT " + COLUMNS_NOW + " FROM campaign_client_settings WHERE campaign_id = #{campaignId} "
            + "ORDER BY priority, weight DESC, id")
    List<CampaignClientSetting> findByCampaign(long campaignId);

    @Select("<script>SELECT " + COLUMNS_NOW + " FROM campaign_client_settings WHERE campaign_id IN <foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach> "
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

    /**
     * What a new cap period's window holds, read without locking the setting (the count scans route_claims): the
     * answered calls of the window containing now in that period (all those kept, for TOTAL), that window's start,
     * and the setting's counter and window as the same snapshot saw them.
     */
    @Select("""
            SELECT s.cap_used, s.cap_window_start, w.window_start,
                   (SELECT count(*) FROM route_claims rc
                     WHERE rc.setting_id = s.id AND rc.answered_at >= w.window_start)::integer AS answered
              FROM campaign_client_settings s
             CROSS JOIN LATERAL (SELECT cap_window_start(#{period}, s.client_time_zone, now()) AS window_start) w
             WHERE s.id = #{id}""")
    Optional<WindowCount> countWindow(@Param("id") long id, @Param("period") CampaignClientSetting.CapPeriod period);

    record WindowCount(int capUsed, Instant capWindowStart, Instant windowStart, int answered) {
    }

    /**
     * {@link #countWindow} for every capped-by-window setting of a client whose time zone becomes {@code timeZone}:
     * one scan of route_claims for them all.
     */
    @Select("""
            SELECT s.id AS setting_id, s.cap_used, s.cap_window_start, w.window_start,
                   coalesce(c.answered, 0) AS answered
              FROM campaign_client_settings s
             CROSS JOIN LATERAL (SELECT cap_window_start(s.cap_period, #{timeZone}, now()) AS window_start) w
              LEFT JOIN (SELECT rc.setting_id, count(*)::integer AS answered
                           FROM route_claims rc
                           JOIN campaign_client_settings o ON o.id = rc.setting_id
                          WHERE o.client_id = #{clientId} AND o.cap_period <> 'TOTAL'
                            AND rc.answered_at >= cap_window_start(o.cap_period, #{timeZone}, now())
                          GROUP BY rc.setting_id) c ON c.setting_id = s.id
             WHERE s.client_id = #{clientId} AND s.cap_period <> 'TOTAL'""")
    List<ZoneWindowCount> countWindowsInZone(@Param("clientId") long clientId, @Param("timeZone") String timeZone);

    record ZoneWindowCount(long settingId, int capUsed, Instant capWindowStart, Instant windowStart, int answered) {

        WindowCount window() {
            return new WindowCount(capUsed, capWindowStart, windowStart, answered);
        }
    }

    @Select("SELECT " + COLUMNS + " FROM campaign_client_settings WHERE client_id = #{clientId}")
    List<CampaignClientSetting> findByClient(long clientId);

    /** Starts the setting's window over at {@code windowStart} (none for TOTAL) with {@code capUsed} answered. */
    @Update("UPDATE campaign_client_settings SET cap_used = #{capUsed}, "
            + "cap_window_start = CASE WHEN cap_period = 'TOTAL' THEN NULL ELSE #{windowStart}::timestamptz END WHERE id = #{id}")
    int restartWindow(@Param("id") long id, @Param("capUsed") int capUsed,
            @Param("windowStart") Instant windowStart);

    @Update("UPDATE campaign_client_settings SET priority = #{priority}, weight = #{weight}, "
            + "max_concurrent = #{maxConcurrent}, total_cap = #{totalCap}, cap_period = #{capPeriod}, "
            + "active = #{active}, updated_at = now() WHERE id = #{id}")
    int update(CampaignClientSetting setting);
}
