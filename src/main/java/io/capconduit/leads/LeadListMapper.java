package io.capconduit.leads;

import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Select;

@Mapper
public interface LeadListMapper {

    String COLUMNS = "id, seller_id, name, default_region, active, created_at, updated_at";

    @Select("SELECT " + COLUMNS + " FROM lead_lists WHERE id = #{id}")
    Optional<LeadList> findById(long id);

    @Select("SELECT " + COLUMNS + " FROM lead_lists ORDER BY id")
    List<LeadList> findAll();
}
