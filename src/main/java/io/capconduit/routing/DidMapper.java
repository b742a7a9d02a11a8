package io.capconduit.routing;

import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Select;

@Mapper
public interface DidMapper {

    String COLUMNS = "id, number, seller_id, campaign_id, description, active, created_at, updated_at";

    @Select("SELECT " + COLUMNS + " FROM dids WHERE id = #{id}")
    Optional<Did> findById(long id);

    @Select("SELECT " + COLUMNS + " FROM dids WHERE number = #{number}")
    Optional<Did> findByNumber(String number);

    @Select("SELECT " + COLUMNS + " FROM dids ORDER BY id")
    List<Did> findAll();
}
