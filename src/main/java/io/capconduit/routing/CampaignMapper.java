package io.capconduit.routing;

import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Select;

@Mapper
public interface CampaignMapper {

    String COLUMNS = "id, seller_id, name, direction, strategy, dial_timeout_seconds, billable_after_seconds, active, "
            + "dial_ratio, hopper_level, call_window_start, call_window_end, max_attempts, retry_busy_seconds, "
            + "retry_no_answer_seconds, retry_failed_seconds, caller_id, trunk_id, max_abandon_rate, wrap_up_seconds, "
            + "abandon_message, created_at, updated_at";

    @Select("SELECT " + COLUMNS + " FROM campaigns WHERE id = #{id}")
    Optional<Campaign> findById(long id);

    @Select("SELECT " + COLUMNS + " FROM campaigns ORDER BY id")
    List<Campaign> findAll();

    @Select("SELECT " + COLUMNS + " FROM campaigns WHERE seller_id = #{sellerId} ORDER BY id")
    List<Campaign> findBySeller(long sellerId);
}
