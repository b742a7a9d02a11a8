package io.capconduit.telephony;

import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Select;

@Mapper
public interface AsteriskServerMapper {

    // ami_secret is deliberately not a column of the record: it is read only where a connection is opened.
    String COLUMNS = "id, name, host, ami_port, ami_username, system_name, max_calls_per_second, "
            + "max_originates_in_flight, active, created_at, updated_at";

    @Select("SELECT " + COLUMNS + " FROM asterisk_servers WHERE id = #{id}")
    Optional<AsteriskServer> findById(long id);

    @Select("SELECT " + COLUMNS + " FROM asterisk_servers ORDER BY id")
    List<AsteriskServer> findAll();

    @Select("SELECT ami_secret FROM asterisk_servers WHERE id = #{id}")
    String findAmiSecret(long id);
}
