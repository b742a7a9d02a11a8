package io.capconduit.leads;

import java.util.List;
import java.util.Optional;

import io.capconduit.system.graphql.KeysetCursor;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

@Mapper
public interface DncMapper {

    String COLUMNS = "phone, source, reason, created_at";

    /**
     * The number as {@code seller} may see it (null: ADMIN or STAFF, who see every reason): a seller sees the
     * reason only of a number it added itself.
     */
    @Select("SELECT phone, source, CASE WHEN #{seller}::bigint IS NULL OR added_by_seller_id = #{seller} THEN reason "
            + "END AS reason, created_at FROM dnc_numbers WHERE phone = #{phone}")
    Optional<DncNumber> find(@Param("phone") String phone, @Param("seller") Long seller);

    /** One page in number order (the primary key's), after the number whose digits the cursor holds. */
    @Select("<script>SELECT " + COLUMNS + " FROM dnc_numbers"
            + "<if test='after != null'> WHERE phone &gt; '+' || #{after.id}</if>"
            + " ORDER BY phone LIMIT #{limit}</script>")
    List<DncNumber> findPage(@Param("after") KeysetCursor after, @Param("limit") int limit);

    /** Adds the numbers not listed yet, as added by {@code seller} (null: ADMIN or STAFF); returns those added. */
    @Select("<script>INSERT INTO dnc_numbers (phone, source, reason, added_by_seller_id) "
            + "SELECT DISTINCT p, 'manual', #{reason}, #{seller}::bigint FROM "
            + "unnest(#{phones,typeHandler=org.apache.ibatis.type.ArrayTypeHandler}::text[]) p "
            + "ON CONFLICT (phone) DO NOTHING RETURNING phone</script>")
    @Options(flushCache = Options.FlushCachePolicy.TRUE, useCache = false)
    List<String> add(@Param("phones") String[] phones, @Param("reason") String reason, @Param("seller") Long seller);

    @Delete("DELETE FROM dnc_numbers WHERE phone = ANY(#{phones,typeHandler=org.apache.ibatis.type.ArrayTypeHandler}::text[])")
    int remove(@Param("phones") String[] phones);

    /**
     * Cancels the hopper entries still waiting to call these numbers (a call under way is left to finish); returns
     * the seller of each cancelled entry's campaign.
     */
    // from the live queue (a few hopper levels) to each entry's lead by key: leads has no index on phone alone
    @Select("UPDATE outbound_queue q SET status = 'DONE', done_at = now(), outcome = 'DNC' WHERE q.status = 'QUEUED' "
            + "AND (SELECT l.phone FROM leads l WHERE l.id = q.lead_id) "
            + "= ANY(#{phones,typeHandler=org.apache.ibatis.type.ArrayTypeHandler}::text[]) "
            + "RETURNING (SELECT c.seller_id FROM campaigns c WHERE c.id = q.campaign_id)")
    @Options(flushCache = Options.FlushCachePolicy.TRUE, useCache = false)
    List<Long> cancelQueued(@Param("phones") String[] phones);
}
