package io.capconduit.calls;

import java.util.List;

import io.capconduit.system.graphql.KeysetCursor;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** Reads the raw cdr table (CdrMapper.xml); never writes it, Asterisk does. */
@Mapper
interface CdrMapper {

    /** A keyset page, newest start first, then newest id; rows without a finite start are left out. */
    List<Cdr> findPage(@Param("filter") CdrFilter filter, @Param("after") KeysetCursor after, @Param("limit") int limit);

    /** Every row of these linked ids, by id. */
    List<Cdr> findByLinkedIds(@Param("linkedIds") List<String> linkedIds);
}
