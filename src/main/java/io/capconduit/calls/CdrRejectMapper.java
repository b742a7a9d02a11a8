package io.capconduit.calls;

import java.util.List;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

@Mapper
interface CdrRejectMapper {

    /** A keyset page by cdr id, of one job execution's rejects or of all (cdr_rejects_execution_cdr_idx, the key). */
    @Select("""
            <script>
            SELECT cdr_id, linked_id, reason, job_execution_id, rejected_at FROM cdr_rejects
            <where>
                <if test="execution != null">job_execution_id = #{execution}</if>
                <if test="after != null">AND cdr_id &gt; #{after}</if>
            </where>
            ORDER BY cdr_id LIMIT #{limit}
            </script>""")
    List<CdrReject> page(@Param("execution") Long jobExecutionId, @Param("after") Long afterCdrId,
            @Param("limit") int limit);
}
