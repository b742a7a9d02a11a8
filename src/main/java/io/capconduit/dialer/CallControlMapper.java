package io.capconduit.dialer;

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
