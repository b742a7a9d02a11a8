package io.capconduit.routing;

import java.time.OffsetDateTime;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Update;

/** Rolls cap windows with the one definition of a window, the SQL function cap_window_start. */
@Mapper
interface CapWindowMapper {

    /** Rolls the windows at the database's clock, the one routing reads and rolls them with. */
    default int rollWindows() {
        return rollWindowsAt(null);
    }

    /**
     * Settings whose window started before the one containing {@code at} (client's zone) start that one, empty.
     * Only forward: a clock behind the one a window was rolled with must not empty its counter mid-window.
     */
    @Update("""
            WITH clock AS (SELECT coalesce(#{at}::timestamptz, now()) AS at)
            UPDATE campaign_client_settings s
               SET cap_used = 0,
                   cap_window_start = cap_window_start(s.cap_period, coalesce(c.time_zone, 'UTC'), clock.at),
                   updated_at = now()
              FROM clients c, clock
             WHERE c.id = s.client_id
               AND s.cap_period IN ('HOUR', 'DAY', 'MONTH')
               AND (s.cap_window_start IS NULL
                    OR s.cap_window_start < cap_window_start(s.cap_period, coalesce(c.time_zone, 'UTC'), clock.at))
            """)
    int rollWindowsAt(@Param("at") OffsetDateTime at);
}
