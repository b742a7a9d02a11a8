package io.capconduit.routing;

import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Update;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Select;

@Mapper
public interface SellerMapper {

    String COLUMNS = "id, name, email, time_zone, active, created_at, updated_at";

    @Select("SELECT " + COLUMNS + " FROM sellers WHERE id = #{id}")
    Optional<Seller> findById(long id);

    /**
     * The seller a mutation changes, locked until its transaction ends, so concurrent changes apply one after the
     * other. FOR UPDATE, not NO KEY: an update may change the name.
     */
    @Select("SELECT " + COLUMNS + " FROM sellers WHERE id = #{id} FOR UPDATE")
    Optional<Seller> findByIdForUpdate(long id);

    @Select("SELECT " + COLUMNS + " FROM sellers ORDER BY id")
    List<Seller> findAll();

    @Select("<script>SELECT " + COLUMNS + " FROM sellers WHERE id IN <foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach></script>")
    List<Seller> findByIds(@Param("ids") List<Long> ids);

    @Select("SELECT EXISTS (SELECT 1 FROM sellers WHERE lower(name) = lower(#{name}) AND id <> #{exceptId})")
    boolean nameTaken(@Param("name") String name, @Param("exceptId") long exceptId);

    @Select("INSERT INTO sellers (name, email, time_zone, active) VALUES (#{name}, #{email}, #{timeZone}, #{active}) "
            + "RETURNING id")
    @Options(flushCache = Options.FlushCachePolicy.TRUE)
    long insert(Seller seller);

    @Update("UPDATE sellers SET name = #{name}, email = #{email}, time_zone = #{timeZone}, active = #{active}, "
            + "updated_at = now() WHERE id = #{id}")
    int update(Seller seller);
}
