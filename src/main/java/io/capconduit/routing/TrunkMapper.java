package io.capconduit.routing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.capconduit.system.TextArrayTypeHandler;
import org.apache.ibatis.annotations.Arg;
import org.apache.ibatis.annotations.ConstructorArgs;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.ResultMap;
import org.apache.ibatis.annotations.Results;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

@Mapper
public interface TrunkMapper {

    String COLUMNS = "id, name, endpoint, host, port, match_ips, dial_prefix, active, created_at, updated_at";

    @Select("SELECT " + COLUMNS + " FROM trunks WHERE id = #{id}")
    @Results(id = "trunk")
    @ConstructorArgs({
            @Arg(column = "id", javaType = long.class), @Arg(column = "name", javaType = String.class),
            @Arg(column = "endpoint", javaType = String.class), @Arg(column = "host", javaType = String.class),
            @Arg(column = "port", javaType = Integer.class),
            @Arg(column = "match_ips", javaType = List.class, typeHandler = TextArrayTypeHandler.class),
            @Arg(column = "dial_prefix", javaType = String.class), @Arg(column = "active", javaType = boolean.class),
            @Arg(column = "created_at", javaType = Instant.class), @Arg(column = "updated_at", javaType = Instant.class)})
    Optional<Trunk> findById(long id);

    /**
     * The trunk a mutation changes, locked until its transaction ends, so concurrent changes apply one after the
     * other. FOR UPDATE, not NO KEY: an update may change the name or endpoint.
     */
    @Select("SELECT " + COLUMNS + " FROM trunks WHERE id = #{id} FOR UPDATE")
    @ResultMap("trunk")
    Optional<Trunk> findByIdForUpdate(long id);

    /**
     * The trunk a campaign is given, held until its transaction ends: a concurrent removal of the trunk's host
     * (which locks it FOR UPDATE, then looks for campaigns sending through it) either commits first and is seen
     * here, or waits and sees the campaign.
     */
    @Select("SELECT " + COLUMNS + " FROM trunks WHERE id = #{id} FOR SHARE")
    @ResultMap("trunk")
    Optional<Trunk> findByIdForShare(long id);

    @Select("SELECT " + COLUMNS + " FROM trunks ORDER BY id")
    @ResultMap("trunk")
    List<Trunk> findAll();

    @Select("<script>SELECT " + COLUMNS + " FROM trunks WHERE id IN "
            + "<foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach></script>")
    @ResultMap("trunk")
    List<Trunk> findByIds(@Param("ids") List<Long> ids);

    /** The names of the campaigns whose calls leave through trunk {@code id} (at most ten). */
    @Select("SELECT name FROM campaigns WHERE trunk_id = #{id} ORDER BY name LIMIT 10")
    List<String> campaignsSendingThrough(long id);

    @Select("SELECT EXISTS (SELECT 1 FROM trunks WHERE lower(name) = lower(#{name}) AND id <> #{exceptId})")
    boolean nameTaken(@Param("name") String name, @Param("exceptId") long exceptId);

    @Select("SELECT nextval('trunks_id_seq')")
    @Options(flushCache = Options.FlushCachePolicy.TRUE)
    long nextId();

    @Insert("INSERT INTO trunks (id, name, endpoint, host, port, match_ips, dial_prefix, active) VALUES (#{id}, #{name}, "
            + "#{endpoint}, #{host}, #{port}, #{matchIps,typeHandler=io.capconduit.system.TextArrayTypeHandler}, "
            + "#{dialPrefix}, #{active})")
    void insert(Trunk trunk);

    @Update("UPDATE trunks SET name = #{name}, endpoint = #{endpoint}, host = #{host}, port = #{port}, "
            + "match_ips = #{matchIps,typeHandler=io.capconduit.system.TextArrayTypeHandler}, "
            + "dial_prefix = #{dialPrefix}, active = #{active}, updated_at = now() WHERE id = #{id}")
    int update(Trunk trunk);
}
