package io.capconduit.dialer;

import java.time.LocalTime;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

@Mapper
interface CallControlMapper {

    /** How a campaign's calls leave: its trunk's endpoint and prefix, and its caller id. */
    record Route(String trunkEndpoint, String dialPrefix, String callerId) {
    }

    @Select("SELECT t.endpoint AS trunk_endpoint, t.dial_prefix, c.caller_id FROM campaigns c "
            + "JOIN trunks t ON t.id = c.trunk_id WHERE c.id = #{campaignId} AND t.active")
    Route route(long campaignId);

    /** A campaign's calling hours, and the zone of its seller, which they are read in when no other is known. */
    record CallHours(LocalTime start, LocalTime end, String sellerZone) {
    }

    @Select("SELECT c.call_window_start AS start, c.call_window_end AS \"end\", s.time_zone AS seller_zone "
            + "FROM campaigns c JOIN sellers s ON s.id = c.seller_id WHERE c.id = #{campaignId}")
    CallHours callHours(long campaignId);

    /**
     * The zones (comma-separated) a lead with this number in the campaign's lists may be in: its candidates, or its
     * one zone when that is certain; null when no such lead has a zone. UNIQUE (list_id, phone) finds it.
     */
    @Select("SELECT array_to_string(coalesce(l.time_zones, ARRAY[l.time_zone]), ',') FROM campaign_lead_lists cl "
            + "JOIN leads l ON l.list_id = cl.list_id AND l.phone = #{number} "
            + "WHERE cl.campaign_id = #{campaignId} AND l.time_zone IS NOT NULL ORDER BY l.id LIMIT 1")
    String leadZones(@Param("campaignId") long campaignId, @Param("number") String number);

    @Select("SELECT endpoint FROM agents WHERE id = #{agentId} AND active")
    String agentEndpoint(long agentId);

    @Select("SELECT endpoint FROM agents WHERE extension = #{extension} AND active")
    String endpointOfExtension(String extension);

    /** Whether the number is on the do-not-call list (its primary key). */
    @Select("SELECT EXISTS (SELECT 1 FROM dnc_numbers WHERE phone = #{number})")
    boolean onDncList(String number);

    @Select("SELECT id FROM asterisk_servers WHERE active ORDER BY id")
    java.util.List<Long> activeServers();

    /**
     * A click-to-call as placed, under its Originate's ChannelId, which becomes the linkedid of its CDR rows: CDR
     * reconciliation names the call's number, agent and campaign from it even when no dialplan ran.
     */
    @Insert("INSERT INTO click_to_calls (channel_id, agent_id, campaign_id, number, server_id) "
            + "VALUES (#{channelId}, #{agentId}, #{campaignId}, #{number}, #{serverId})")
    void recordClickToCall(@Param("channelId") String channelId, @Param("agentId") long agentId,
            @Param("campaignId") long campaignId, @Param("number") String number, @Param("serverId") long serverId);
}
