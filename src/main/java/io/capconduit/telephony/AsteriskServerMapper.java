package io.capconduit.telephony;

import java.time.Instant;
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
public interface AsteriskServerMapper {

    // ami_secret is deliberately not a column of the record: it is read only where a connection is opened.
    String COLUMNS = "id, name, host, ami_port, ami_username, system_name, max_calls_per_second, "
            + "max_originates_in_flight, active, created_at, updated_at";

    @Select("SELECT " + COLUMNS + " FROM asterisk_servers WHERE id = #{id}")
    Optional<AsteriskServer> findById(long id);

    /**
     * The server a mutation changes, locked until its transaction ends, so concurrent changes apply one after the
     * other. FOR UPDATE, not NO KEY: an update may change the name.
     */
    @Select("SELECT " + COLUMNS + " FROM asterisk_servers WHERE id = #{id} FOR UPDATE")
    Optional<AsteriskServer> findByIdForUpdate(long id);

    @Select("SELECT " + COLUMNS + " FROM asterisk_servers ORDER BY id")
    List<AsteriskServer> findAll();

    @Select("SELECT ami_secret FROM asterisk_servers WHERE id = #{id}")
    String findAmiSecret(long id);

    @Select("SELECT EXISTS (SELECT 1 FROM asterisk_servers WHERE lower(name) = lower(#{name}) AND id <> #{exceptId})")
    boolean nameTaken(@Param("name") String name, @Param("exceptId") long exceptId);

    @Select("INSERT INTO asterisk_servers (name, host, ami_port, ami_username, ami_secret, system_name, "
            + "max_calls_per_second, max_originates_in_flight, active) VALUES (#{server.name}, #{server.host}, "
            + "#{server.amiPort}, #{server.amiUsername}, #{secret}, #{server.systemName}, #{server.maxCallsPerSecond}, "
            + "#{server.maxOriginatesInFlight}, #{server.active}) RETURNING id")
    @Options(flushCache = Options.FlushCachePolicy.TRUE)
    long insert(@Param("server") AsteriskServer server, @Param("secret") String secret);

    @Update("UPDATE asterisk_servers SET name = #{name}, host = #{host}, ami_port = #{amiPort}, "
            + "ami_username = #{amiUsername}, system_name = #{systemName}, max_calls_per_second = #{maxCallsPerSecond}, "
            + "max_originates_in_flight = #{maxOriginatesInFlight}, active = #{active}, updated_at = now() WHERE id = #{id}")
    int update(AsteriskServer server);

    @Update("UPDATE asterisk_servers SET ami_secret = #{secret}, updated_at = now() WHERE id = #{id}")
    int updateSecret(@Param("id") long id, @Param("secret") String secret);

    /**
     * This instance is logged in to the server, and says so again before {@code heldForMillis} have passed; rows of
     * instances that died without a word, long past, go. {@code asteriskStartedAt}: when the server's Asterisk
     * started, as its FullyBooted told this connection; null before that came.
     */
    @Insert("WITH gone AS (DELETE FROM ami_connections WHERE server_id = #{serverId} "
            + "AND instance_id <> #{instance}::uuid AND held_until < now() - interval '1 hour') "
            + "INSERT INTO ami_connections (server_id, instance_id, connected_since, held_until, asterisk_started_at) "
            + "VALUES (#{serverId}, #{instance}::uuid, now(), now() + #{heldForMillis} * interval '1 millisecond', "
            + "#{asteriskStartedAt,jdbcType=TIMESTAMP}) ON CONFLICT (server_id, instance_id) DO UPDATE SET "
            + "connected_since = now(), held_until = EXCLUDED.held_until, "
            + "asterisk_started_at = EXCLUDED.asterisk_started_at")
    void connectionUp(@Param("serverId") long serverId, @Param("instance") String instance,
            @Param("heldForMillis") long heldForMillis, @Param("asteriskStartedAt") Instant asteriskStartedAt);

    /**
     * This instance's connection answered its keep-alive: it holds for {@code heldForMillis} more. A start its
     * FullyBooted gave since the login (Asterisk was still booting then) is written; none keeps the one written.
     */
    @Update("UPDATE ami_connections SET held_until = now() + #{heldForMillis} * interval '1 millisecond', "
            + "asterisk_started_at = coalesce(#{asteriskStartedAt,jdbcType=TIMESTAMP}, asterisk_started_at) "
            + "WHERE server_id = #{serverId} AND instance_id = #{instance}::uuid")
    int connectionStillUp(@Param("serverId") long serverId, @Param("instance") String instance,
            @Param("heldForMillis") long heldForMillis, @Param("asteriskStartedAt") Instant asteriskStartedAt);

    /** When the server's Asterisk started, as an instance holding a connection to it now was told; else empty. */
    @Select("SELECT asterisk_started_at FROM ami_connections WHERE server_id = #{serverId} AND held_until > now() "
            + "AND asterisk_started_at IS NOT NULL ORDER BY connected_since DESC LIMIT 1")
    @Options(useCache = false)
    Optional<Instant> asteriskStartedAt(long serverId);

    @Delete("DELETE FROM ami_connections WHERE server_id = #{serverId} AND instance_id = #{instance}::uuid")
    int connectionDown(@Param("serverId") long serverId, @Param("instance") String instance);

    /** Whether some app instance, this one or another, holds a logged-in AMI connection to the server now. */
    @Select("SELECT EXISTS (SELECT 1 FROM ami_connections WHERE server_id = #{serverId} AND held_until > now())")
    boolean connectedOnAnyInstance(long serverId);

    /** Whether an app instance other than {@code instance} holds a logged-in AMI connection to the server now. */
    @Select("SELECT EXISTS (SELECT 1 FROM ami_connections WHERE server_id = #{serverId} "
            + "AND instance_id <> #{instance}::uuid AND held_until > now())")
    boolean connectedOnAnotherInstance(@Param("serverId") long serverId, @Param("instance") String instance);
}
