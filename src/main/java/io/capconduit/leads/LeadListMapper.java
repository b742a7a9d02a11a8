package io.capconduit.leads;

import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

@Mapper
public interface LeadListMapper {

    String COLUMNS = "id, seller_id, name, default_region, active, created_at, updated_at";

    @Select("SELECT " + COLUMNS + " FROM lead_lists WHERE id = #{id}")
    Optional<LeadList> findById(long id);

    @Select("SELECT " + COLUMNS + " FROM lead_lists ORDER BY id")
    List<LeadList> findAll();

    /** Lists a caller may see: {@code scope} null for all, else that seller's own (house lists excluded). */
    @Select("<script>SELECT " + COLUMNS + " FROM lead_lists"
            + "<if test='scope != null'> WHERE seller_id = #{scope}</if> ORDER BY id</script>")
    List<LeadList> findVisible(@Param("scope") Long scope);
}
