package io.capconduit.routing;

import java.time.Instant;
import java.util.List;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** The route claims {@link RouteClaimSweep} looks at, and their release. */
@Mapper
interface RouteClaimSweepMapper {

    @Select("SELECT clock_timestamp()")
    Instant now();

    /**
     * Open claims of a call on the server whose systemname is {@code prefix} ({@code <prefix>-<epoch>.<n>}, and
     * nothing more: pbx-2-1763650931.7 is not a call of pbx), claimed before the list was asked.
     */
    @Select("""
            SELECT call_uid FROM route_claims
            WHERE released_at IS NULL AND claimed_at < #{before}::timestamptz - make_interval(secs => #{minAgeSeconds})
              AND left(call_uid, length(#{prefix}) + 1) = #{prefix} || '-'
              AND substr(call_uid, length(#{prefix}) + 2) ~ '^[0-9]+\\.[0-9]+$'""")
    List<String> openPrefixedBefore(@Param("prefix") String prefix, @Param("before") Instant before,
            @Param("minAgeSeconds") long minAgeSeconds);

    /** The same for the server without a systemname: Asterisk's plain unique ids (epoch.sequence). */
    @Select("""
            SELECT call_uid FROM route_claims
            WHERE released_at IS NULL AND claimed_at < #{before}::timestamptz - make_interval(secs => #{minAgeSeconds})
              AND call_uid ~ '^[0-9]+\\.[0-9]+$'""")
    List<String> openUnprefixedBefore(@Param("before") Instant before, @Param("minAgeSeconds") long minAgeSeconds);

    @Select("SELECT call_uid FROM route_claims WHERE released_at IS NULL "
            + "AND claimed_at < now() - make_interval(secs => #{maxAgeSeconds})")
    List<String> openSince(@Param("maxAgeSeconds") long maxAgeSeconds);

    @Select("SELECT route_release(#{callUid}, #{reason})")
    String release(@Param("callUid") String callUid, @Param("reason") String reason);
}
