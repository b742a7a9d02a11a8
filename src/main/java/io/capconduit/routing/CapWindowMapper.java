package io.capconduit.routing;

import java.time.OffsetDateTime;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Update;

/** Rolls cap windows with the one definition of a window, the SQL function cap_window_start. */
@Mapper
interface CapWindowMapper {

    /** Settings whose window is not the one containing {@code at} (client's zone) start a new one, empty. */
    @Update("""
            UPDATE campaign_client_settings s
               SET cap_used = 0,
                   cap_window_start = cap_window_start(s.cap_period, coalesce(c.time_zone, 'UTC'), #{at}),
                   updated_at = now()
              FROM clients c
             WHERE c.id = s.client_id
               AND s.cap_period IN ('HOUR', 'DAY', 'MONTH')
               AND s.cap_window_start IS DISTINCT FROM cap_window_start(s.cap_period, coalesce(c.time_zone, 'UTC'), #{at})
            """)
    int rollWindows(@Param("at") OffsetDateTime at);
}
