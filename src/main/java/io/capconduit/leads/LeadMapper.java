package io.capconduit.leads;

import java.util.List;

import io.capconduit.system.graphql.KeysetCursor;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

@Mapper
public interface LeadMapper {

    String COLUMNS = "id, list_id, phone, time_zone, time_zones, first_name, last_name, full_name, email, city, state, postal_code, "
            + "country, status, attempts, last_attempt_at, next_attempt_at, last_outcome, created_at";

    /** One keyset page of a list in id order; with a status it runs on leads_list_status_idx. */
    @Select("<script>SELECT " + COLUMNS + " FROM leads WHERE list_id = #{listId}"
            + "<if test='status != null'> AND status = #{status}</if>"
            + "<if test='after != null'> AND id &gt; #{after.id}</if>"
            + " ORDER BY id LIMIT #{limit}</script>")
    List<Lead> findPage(@Param("listId") long listId, @Param("status") String status,
            @Param("after") KeysetCursor after, @Param("limit") int limit);
}
