package io.capconduit.dialer;

import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Select;

@Mapper
public interface AgentMapper {

    String COLUMNS = "id, name, extension, endpoint, state, pause_reason, state_changed_at, current_channel, active, "
            + "created_at, updated_at";

    @Select("SELECT " + COLUMNS + " FROM agents WHERE id = #{id}")
    Optional<Agent> findById(long id);

    @Select("SELECT " + COLUMNS + " FROM agents ORDER BY id")
    List<Agent> findAll();
}
