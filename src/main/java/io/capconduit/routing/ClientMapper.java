package io.capconduit.routing;

import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Select;

@Mapper
public interface ClientMapper {

    String COLUMNS = "id, name, time_zone, endpoint, sip_mode, sip_host, sip_port, sip_user, max_contacts, active, "
            + "created_at, updated_at";

    @Select("SELECT " + COLUMNS + " FROM clients WHERE id = #{id}")
    Optional<Client> findById(long id);

    @Select("SELECT " + COLUMNS + " FROM clients ORDER BY id")
    List<Client> findAll();
}
