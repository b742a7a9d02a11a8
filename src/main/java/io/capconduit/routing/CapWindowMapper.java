package io.capconduit.routing;

import java.time.OffsetDateTime;
import java.util.List;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** Rolls cap windows with the one definition of a window, the SQL function cap_window_start. */
@Mapper
interface CapWindowMapper {

    /**
     * Settings rolled per transaction by the cap reset job: each batch locks its rows only until it commits, so a
     * call claiming one of them waits a few milliseconds at most, not for every setting due at a boundary.
     */
    int BATCH_SIZE = 1000;

    /**
     * Settings (id above {@code afterId}, at most {@code limit}, by id) whose window started before the one
     * containing {@code at} (client's zone) start that one, empty; returns their ids. Only forward: a clock behind
     * the one a window was rolled with must not empty its counter mid-window. A setting locked by a call being
     * claimed, answered or released is skipped, not waited for: that call's own statement rolls its window (as
     * routing does), and the next run rolls it otherwise. Fewer than {@code limit} ids: no setting after them is due.
     */
    @Select("""
            WITH clock AS (SELECT coalesce(#{at}::timestamptz, now()) AS at),
            due AS (
                SELECT s.id, cap_window_start(s.cap_period, s.client_time_zone, clock.at) AS window_start
                  FROM campaign_client_settings s, clock
                 WHERE s.id > #{afterId}
                   AND s.cap_period IN ('HOUR', 'DAY', 'MONTH')
                   AND (s.cap_window_start IS NULL
                        OR s.cap_window_start < cap_window_start(s.cap_period, s.client_time_zone, clock.at))
                 ORDER BY s.id
                 LIMIT #{limit}
                 FOR NO KEY UPDATE OF s SKIP LOCKED)
            UPDATE campaign_client_settings s
               SET cap_used = 0, cap_window_start = due.window_start, updated_at = now()
              FROM due
             WHERE s.id = due.id
               AND (s.cap_window_start IS NULL OR s.cap_window_start < due.window_start)
            RETURNING s.id
            """)
    @Options(flushCache = Options.FlushCachePolicy.TRUE, useCache = false)
    List<Long> rollBatch(@Param("at") OffsetDateTime at, @Param("afterId") long afterId, @Param("limit") int limit);
}
