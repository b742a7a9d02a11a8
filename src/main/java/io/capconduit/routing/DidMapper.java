package io.capconduit.routing;

import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Update;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Select;

@Mapper
public interface DidMapper {

    String COLUMNS = "id, number, seller_id, campaign_id, description, active, deactivated_by_staff, created_at, "
            + "updated_at";

    @Select("SELECT " + COLUMNS + " FROM dids WHERE id = #{id}")
    Optional<Did> findById(long id);

    /**
     * The DID a mutation changes, locked until its transaction ends, so concurrent mutations of one DID apply one
     * after the other, each to the row the previous one left. {@code scope} confines to one seller: another
     * seller's DID is neither locked nor waited for. FOR UPDATE, not NO KEY: updateDid may change the number.
     */
    @Select("<script>SELECT " + COLUMNS + " FROM dids WHERE id = #{id}"
            + "<if test='scope != null'> AND seller_id = #{scope}</if> FOR UPDATE</script>")
    Optional<Did> findByIdForUpdate(@Param("id") long id, @Param("scope") Long scope);

    @Select("SELECT " + COLUMNS + " FROM dids WHERE number = #{number}")
    Optional<Did> findByNumber(String number);

    /**
     * The number routing looks a call up by when the carrier sends {@code e164}: the dialplan passes the digits
     * alone (no +) to route_normalize_did, which reads ten digits as a US/Canada number.
     */
    @Select("SELECT route_normalize_did(substr(#{e164}, 2))")
    String routedAs(String e164);

    @Select("SELECT " + COLUMNS + " FROM dids ORDER BY id")
    List<Did> findAll();

    @Select("<script>SELECT " + COLUMNS + " FROM dids WHERE campaign_id IN <foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach> ORDER BY number</script>")
    List<Did> findByCampaigns(@Param("ids") List<Long> ids);

    @Select("<script>SELECT " + COLUMNS + " FROM dids WHERE seller_id IN <foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach> ORDER BY number</script>")
    List<Did> findBySellers(@Param("ids") List<Long> ids);

    @Select("<script>SELECT " + COLUMNS + " FROM dids <where>"
            + "<if test='scope != null'> AND seller_id = #{scope}</if>"
            + "<if test='sellerId != null'> AND seller_id = #{sellerId}</if>"
            + "<if test='campaignId != null'> AND campaign_id = #{campaignId}</if>"
            + "</where> ORDER BY number</script>")
    List<Did> search(@Param("scope") Long scope, @Param("sellerId") Long sellerId, @Param("campaignId") Long campaignId);

    /** A page of {@link #search}'s DIDs by id: those after {@code afterId} (null: from the first), at most {@code limit}. */
    @Select("<script>SELECT " + COLUMNS + " FROM dids <where>"
            + "<if test='scope != null'> AND seller_id = #{scope}</if>"
            + "<if test='sellerId != null'> AND seller_id = #{sellerId}</if>"
            + "<if test='campaignId != null'> AND campaign_id = #{campaignId}</if>"
            + "<if test='afterId != null'> AND id &gt; #{afterId}</if>"
            + "</where> ORDER BY id LIMIT #{limit}</script>")
    List<Did> page(@Param("scope") Long scope, @Param("sellerId") Long sellerId, @Param("campaignId") Long campaignId,
            @Param("afterId") Long afterId, @Param("limit") int limit);

    @Select("INSERT INTO dids (number, seller_id, campaign_id, description, active, deactivated_by_staff) "
            + "VALUES (#{number}, #{sellerId}, #{campaignId}, #{description}, #{active}, #{deactivatedByStaff}) "
            + "RETURNING id")
    @Options(flushCache = Options.FlushCachePolicy.TRUE)
    long insert(Did did);

    @Update("UPDATE dids SET number = #{number}, campaign_id = #{campaignId}, description = #{description}, "
            + "active = #{active}, deactivated_by_staff = #{deactivatedByStaff}, updated_at = now() WHERE id = #{id}")
    int update(Did did);
}
