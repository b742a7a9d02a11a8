package io.capconduit.leads;

import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

@Mapper
public interface LeadListMapper {

    String COLUMNS = "id, seller_id, name, default_region, active, created_at, updated_at";

    @Select("SELECT " + COLUMNS + " FROM lead_lists WHERE id = #{id}")
    Optional<LeadList> findById(long id);

    /**
     * The list, locked against a concurrent change of it and against a hopper fill queueing its leads meanwhile
     * (the fill reads the list FOR SHARE): what a change decides on stays true until it commits.
     */
    @Select("SELECT " + COLUMNS + " FROM lead_lists WHERE id = #{id} FOR NO KEY UPDATE")
    @Options(flushCache = Options.FlushCachePolicy.TRUE, useCache = false)
    Optional<LeadList> lockById(long id);

    @Select("SELECT " + COLUMNS + " FROM lead_lists ORDER BY id")
    List<LeadList> findAll();

    /** Lists a caller may see: {@code scope} null for all, else that seller's own (house lists excluded). */
    @Select("<script>SELECT " + COLUMNS + " FROM lead_lists"
            + "<if test='scope != null'> WHERE seller_id = #{scope}</if> ORDER BY id</script>")
    List<LeadList> findVisible(@Param("scope") Long scope);

    @Select("SELECT EXISTS (SELECT 1 FROM lead_lists WHERE coalesce(seller_id, 0) = coalesce(#{sellerId,jdbcType=BIGINT}, 0) "
            + "AND name = #{name} AND id <> #{exceptId})")
    boolean nameTaken(@Param("sellerId") Long sellerId, @Param("name") String name, @Param("exceptId") long exceptId);

    @Select("INSERT INTO lead_lists (seller_id, name, default_region, active) "
            + "VALUES (#{sellerId}, #{name}, #{defaultRegion}, #{active}) RETURNING id")
    @Options(flushCache = Options.FlushCachePolicy.TRUE)
    long insert(LeadList list);

    @Update("UPDATE lead_lists SET name = #{name}, default_region = #{defaultRegion}, active = #{active}, "
            + "updated_at = now() WHERE id = #{id}")
    void update(LeadList list);

    /** A campaign's link to a list and each of its lists as one pair, for batched fields. */
    record CampaignList(long campaignId, long listId) {
    }

    /** Never called with no ids (batched fields have a parent at least). */
    @Select("<script>SELECT campaign_id, list_id FROM campaign_lead_lists WHERE list_id IN "
            + "<foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach>"
            + " ORDER BY list_id, campaign_id</script>")
    List<CampaignList> campaignsOfLists(@Param("ids") List<Long> listIds);

    @Select("<script>SELECT campaign_id, list_id FROM campaign_lead_lists WHERE campaign_id IN "
            + "<foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach>"
            + " ORDER BY campaign_id, list_id</script>")
    List<CampaignList> listsOfCampaigns(@Param("ids") List<Long> campaignIds);

    @Select("<script>SELECT " + COLUMNS + " FROM lead_lists WHERE id IN "
            + "<foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach></script>")
    List<LeadList> findByIds(@Param("ids") List<Long> ids);

    @Insert("INSERT INTO campaign_lead_lists (campaign_id, list_id) VALUES (#{campaignId}, #{listId}) "
            + "ON CONFLICT DO NOTHING")
    int link(@Param("campaignId") long campaignId, @Param("listId") long listId);

    @Delete("DELETE FROM campaign_lead_lists WHERE campaign_id = #{campaignId} AND list_id = #{listId}")
    int unlink(@Param("campaignId") long campaignId, @Param("listId") long listId);

    /**
     * Cancels the entries still waiting in a hopper for the list's leads: of one campaign, or of every campaign
     * ({@code campaignId} null). Entries being dialed are left to finish.
     */
    @Update("<script>UPDATE outbound_queue q SET status = 'DONE', done_at = now(), outcome = 'CANCELLED' "
            + "FROM leads l WHERE l.id = q.lead_id AND l.list_id = #{listId} AND q.status = 'QUEUED'"
            + "<if test='campaignId != null'> AND q.campaign_id = #{campaignId}</if></script>")
    int cancelQueued(@Param("listId") long listId, @Param("campaignId") Long campaignId);
}
