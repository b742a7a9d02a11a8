package io.capconduit.dialer;

import org.apache.ibatis.annotations.Mapper;
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

    @Select("SELECT id FROM asterisk_servers WHERE active ORDER BY id")
    java.util.List<Long> activeServers();
}
