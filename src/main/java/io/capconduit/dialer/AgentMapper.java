package io.capconduit.dialer;

import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Update;
import org.apache.ibatis.annotations.Select;

@Mapper
public interface AgentMapper {

    String COLUMNS = "id, name, extension, endpoint, state, pause_reason, state_changed_at, current_channel, active, "
            + "created_at, updated_at";

    @Select("SELECT " + COLUMNS + " FROM agents WHERE id = #{id}")
    Optional<Agent> findById(long id);

    /**
     * The agent a mutation changes, locked until its transaction ends, so concurrent changes (its campaign links
     * too) apply one after the other. NO KEY: the extension and endpoint never change.
     */
    @Select("SELECT " + COLUMNS + " FROM agents WHERE id = #{id} FOR NO KEY UPDATE")
    Optional<Agent> findByIdForUpdate(long id);

    @Select("SELECT " + COLUMNS + " FROM agents ORDER BY id")
    List<Agent> findAll();

    @Select("SELECT " + COLUMNS + " FROM agents WHERE active = #{active} ORDER BY id")
    List<Agent> findByActive(boolean active);

    @Select("SELECT EXISTS (SELECT 1 FROM agents WHERE extension = #{extension} AND id <> #{exceptId})")
    boolean extensionTaken(@Param("extension") String extension, @Param("exceptId") long exceptId);

    @Select("INSERT INTO agents (name, extension, endpoint, active) VALUES (#{name}, #{extension}, #{endpoint}, #{active}) "
            + "RETURNING id")
    @Options(flushCache = Options.FlushCachePolicy.TRUE)
    long insert(Agent agent);

    @Update("UPDATE agents SET name = #{name}, active = #{active}, updated_at = now() WHERE id = #{id}")
    int update(Agent agent);

    @Select("<script>SELECT agent_id, campaign_id FROM agent_campaigns WHERE agent_id IN "
            + "<foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach> ORDER BY campaign_id</script>")
    List<AgentCampaign> findCampaignLinks(@Param("ids") List<Long> ids);

    @Delete("DELETE FROM agent_campaigns WHERE agent_id = #{agentId}")
    void deleteCampaignLinks(long agentId);

    @Insert("INSERT INTO agent_campaigns (agent_id, campaign_id) VALUES (#{agentId}, #{campaignId})")
    void insertCampaignLink(@Param("agentId") long agentId, @Param("campaignId") long campaignId);

    @Select("SELECT EXISTS (SELECT 1 FROM campaigns WHERE id = #{campaignId})")
    boolean campaignExists(long campaignId);

    /** One row of agent_campaigns. */
    record AgentCampaign(long agentId, long campaignId) {
    }
}
