package io.capconduit.routing;

import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Select;

@Mapper
public interface SellerMapper {

    String COLUMNS = "id, name, email, time_zone, active, created_at, updated_at";

    @Select("SELECT " + COLUMNS + " FROM sellers WHERE id = #{id}")
    Optional<Seller> findById(long id);

    @Select("SELECT " + COLUMNS + " FROM sellers ORDER BY id")
    List<Seller> findAll();
}
