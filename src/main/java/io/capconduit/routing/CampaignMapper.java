package io.capconduit.routing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Arg;
import org.apache.ibatis.annotations.ConstructorArgs;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.ResultMap;
import org.apache.ibatis.annotations.Results;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

@Mapper
public interface CampaignMapper {

    String COLUMNS = "id, seller_id, name, direction, strategy, dial_timeout_seconds, billable_after_seconds, active, "
            + "dial_ratio, hopper_level, call_window_start, call_window_end, max_attempts, retry_busy_seconds, "
            + "retry_no_answer_seconds, retry_failed_seconds, caller_id, trunk_id, max_abandon_rate, wrap_up_seconds, "
            + "abandon_message, close_disconnected_numbers, record_calls, recording_notice, created_at, updated_at";

    @Select("SELECT " + COLUMNS + " FROM campaigns WHERE id = #{id}")
    // Mapped explicitly: constructor automapping by argument name compares every column with every parameter
    // name on every row, a large share of the CPU of reading lists.
    @Results(id = "campaign")
    @ConstructorArgs({
            @Arg(column = "id", javaType = long.class), @Arg(column = "seller_id", javaType = long.class),
            @Arg(column = "name", javaType = String.class),
            @Arg(column = "direction", javaType = Campaign.Direction.class),
            @Arg(column = "strategy", javaType = Campaign.Strategy.class),
            @Arg(column = "dial_timeout_seconds", javaType = int.class),
            @Arg(column = "billable_after_seconds", javaType = int.class),
            @Arg(column = "active", javaType = boolean.class),
            @Arg(column = "dial_ratio", javaType = BigDecimal.class),
            @Arg(column = "hopper_level", javaType = int.class),
            @Arg(column = "call_window_start", javaType = LocalTime.class),
            @Arg(column = "call_window_end", javaType = LocalTime.class),
            @Arg(column = "max_attempts", javaType = int.class),
            @Arg(column = "retry_busy_seconds", javaType = int.class),
            @Arg(column = "retry_no_answer_seconds", javaType = int.class),
            @Arg(column = "retry_failed_seconds", javaType = int.class),
            @Arg(column = "caller_id", javaType = String.class), @Arg(column = "trunk_id", javaType = Long.class),
            @Arg(column = "max_abandon_rate", javaType = BigDecimal.class),
            @Arg(column = "wrap_up_seconds", javaType = int.class),
            @Arg(column = "abandon_message", javaType = String.class),
            @Arg(column = "close_disconnected_numbers", javaType = boolean.class),
            @Arg(column = "record_calls", javaType = boolean.class),
            @Arg(column = "recording_notice", javaType = String.class),
            @Arg(column = "created_at", javaType = Instant.class),
            @Arg(column = "updated_at", javaType = Instant.class)})
    Optional<Campaign> findById(long id);

    /**
     * The campaign a mutation changes, locked until its transaction ends, so concurrent mutations apply one after
     * the other. {@code scope} confines to one seller: another seller's campaign is neither locked nor waited for.
     * FOR UPDATE, not NO KEY: an update may change the name, unique per seller.
     */
    @Select("<script>SELECT " + COLUMNS + " FROM campaigns WHERE id = #{id}"
            + "<if test='scope != null'> AND seller_id = #{scope}</if> FOR UPDATE</script>")
    @ResultMap("campaign")
    Optional<Campaign> findByIdForUpdate(@Param("id") long id, @Param("scope") Long scope);

    @Select("SELECT " + COLUMNS + " FROM campaigns ORDER BY id")
    @ResultMap("campaign")
    List<Campaign> findAll();

    @Select("SELECT " + COLUMNS + " FROM campaigns WHERE seller_id = #{sellerId} ORDER BY id")
    @ResultMap("campaign")
    List<Campaign> findBySeller(long sellerId);

    @Select("<script>SELECT " + COLUMNS + " FROM campaigns WHERE id IN <foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach></script>")
    @ResultMap("campaign")
    List<Campaign> findByIds(@Param("ids") List<Long> ids);

    @Select("<script>SELECT " + COLUMNS + " FROM campaigns WHERE seller_id IN <foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach> ORDER BY id</script>")
    @ResultMap("campaign")
    List<Campaign> findBySellers(@Param("ids") List<Long> ids);

    /** Campaigns matching every given filter (null: any); {@code scope} confines to one seller. */
    @Select("<script>SELECT " + COLUMNS + " FROM campaigns <where>"
            + "<if test='scope != null'> AND seller_id = #{scope}</if>"
            + "<if test='sellerId != null'> AND seller_id = #{sellerId}</if>"
            + "<if test='direction != null'> AND direction = #{direction}</if>"
            + "<if test='active != null'> AND active = #{active}</if>"
            + "</where> ORDER BY id</script>")
    @ResultMap("campaign")
    List<Campaign> search(@Param("scope") Long scope, @Param("sellerId") Long sellerId,
            @Param("direction") Campaign.Direction direction, @Param("active") Boolean active);

    @Select("SELECT EXISTS (SELECT 1 FROM campaigns WHERE seller_id = #{sellerId} AND lower(name) = lower(#{name}) "
            + "AND id <> #{exceptId})")
    boolean nameTaken(@Param("sellerId") long sellerId, @Param("name") String name, @Param("exceptId") long exceptId);

    @Select("INSERT INTO campaigns (seller_id, name, direction, strategy, dial_timeout_seconds, billable_after_seconds, "
            + "active, dial_ratio, hopper_level, call_window_start, call_window_end, max_attempts, retry_busy_seconds, "
            + "retry_no_answer_seconds, retry_failed_seconds, caller_id, trunk_id, max_abandon_rate, wrap_up_seconds, "
            + "abandon_message, close_disconnected_numbers, record_calls, recording_notice) VALUES (#{sellerId}, "
            + "#{name}, #{direction}, "
            + "#{strategy}, #{dialTimeoutSeconds}, "
            + "#{billableAfterSeconds}, #{active}, #{dialRatio}, #{hopperLevel}, #{callWindowStart}, #{callWindowEnd}, "
            + "#{maxAttempts}, #{retryBusySeconds}, #{retryNoAnswerSeconds}, #{retryFailedSeconds}, #{callerId}, "
            + "#{trunkId}, #{maxAbandonRate}, #{wrapUpSeconds}, #{abandonMessage}, #{closeDisconnectedNumbers}, "
            + "#{recordCalls}, #{recordingNotice}) "
            + "RETURNING id")
    @Options(flushCache = Options.FlushCachePolicy.TRUE)
    long insert(Campaign campaign);

    @Update("UPDATE campaigns SET name = #{name}, direction = #{direction}, strategy = #{strategy}, "
            + "dial_timeout_seconds = #{dialTimeoutSeconds}, billable_after_seconds = #{billableAfterSeconds}, "
            + "active = #{active}, dial_ratio = #{dialRatio}, hopper_level = #{hopperLevel}, "
            + "call_window_start = #{callWindowStart}, call_window_end = #{callWindowEnd}, max_attempts = #{maxAttempts}, "
            + "retry_busy_seconds = #{retryBusySeconds}, retry_no_answer_seconds = #{retryNoAnswerSeconds}, "
            + "retry_failed_seconds = #{retryFailedSeconds}, caller_id = #{callerId}, trunk_id = #{trunkId}, "
            + "max_abandon_rate = #{maxAbandonRate}, wrap_up_seconds = #{wrapUpSeconds}, "
            + "abandon_message = #{abandonMessage}, close_disconnected_numbers = #{closeDisconnectedNumbers}, "
            + "record_calls = #{recordCalls}, recording_notice = #{recordingNotice}, "
            + "updated_at = now() WHERE id = #{id}")
    int update(Campaign campaign);
}
