package io.capconduit.routing;

import java.time.OffsetDateTime;
import java.util.List;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** Reads the routing functions of V4_0__routing.sql the way the dialplan does, without claiming. */
@Mapper
interface RoutePreviewMapper {

    @Select("SELECT r.status, r.did_id, r.did_number, r.seller_id, r.campaign_id, c.name AS campaign_name, "
            + "r.strategy FROM route_lookup_did(#{did}) r LEFT JOIN campaigns c ON c.id = r.campaign_id")
    DidRoute lookup(String did);

    @Select("SELECT setting_id, client_id, client_name, priority, weight, max_concurrent, in_flight, total_cap, "
            + "cap_period, cap_used, reserved, skip_reason FROM route_evaluate(#{campaignId}, #{at}) ORDER BY rank")
    List<SettingEvaluation> evaluate(@Param("campaignId") long campaignId, @Param("at") OffsetDateTime at);

    record DidRoute(String status, Long didId, String didNumber, Long sellerId, Long campaignId, String campaignName,
            String strategy) {
    }

    record SettingEvaluation(long settingId, long clientId, String clientName, int priority, int weight,
            int maxConcurrent, int inFlight, Integer totalCap, String capPeriod, int capUsed, int reserved,
            String skipReason) {
    }
}
