package io.capconduit.routing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Arg;
import org.apache.ibatis.annotations.ConstructorArgs;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.ResultMap;
import org.apache.ibatis.annotations.Results;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

@Mapper
public interface ClientMapper {

    String COLUMNS = "id, name, time_zone, endpoint, sip_mode, sip_host, sip_port, sip_user, max_contacts, active, "
            + "created_at, updated_at";

    @Select("SELECT " + COLUMNS + " FROM clients WHERE id = #{id}")
    // Mapped explicitly: constructor automapping by argument name compares every column with every parameter
    // name on every row, a large share of the CPU of reading lists.
    @Results(id = "client")
    @ConstructorArgs({
            @Arg(column = "id", javaType = long.class), @Arg(column = "name", javaType = String.class),
            @Arg(column = "time_zone", javaType = String.class), @Arg(column = "endpoint", javaType = String.class),
            @Arg(column = "sip_mode", javaType = Client.SipMode.class),
            @Arg(column = "sip_host", javaType = String.class), @Arg(column = "sip_port", javaType = Integer.class),
            @Arg(column = "sip_user", javaType = String.class), @Arg(column = "max_contacts", javaType = int.class),
            @Arg(column = "active", javaType = boolean.class), @Arg(column = "created_at", javaType = Instant.class),
            @Arg(column = "updated_at", javaType = Instant.class)})
    Optional<Client> findById(long id);

    /**
     * The client a mutation changes, locked until its transaction ends, so concurrent changes (its schedule
     * too) apply one after the other. FOR UPDATE, not NO KEY: an update may change the endpoint.
     */
    @Select("SELECT " + COLUMNS + " FROM clients WHERE id = #{id} FOR UPDATE")
    @ResultMap("client")
    Optional<Client> findByIdForUpdate(long id);

    @Select("SELECT " + COLUMNS + " FROM clients ORDER BY id")
    @ResultMap("client")
    List<Client> findAll();

    @Select("<script>SELECT " + COLUMNS + " FROM clients WHERE id IN <foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach></script>")
    @ResultMap("client")
    List<Client> findByIds(@Param("ids") List<Long> ids);

    @Select("SELECT " + COLUMNS + " FROM clients WHERE active = #{active} ORDER BY id")
    @ResultMap("client")
    List<Client> findByActive(boolean active);

    @Select("SELECT EXISTS (SELECT 1 FROM clients WHERE lower(name) = lower(#{name}) AND id <> #{exceptId})")
    boolean nameTaken(@Param("name") String name, @Param("exceptId") long exceptId);

    @Select("SELECT nextval('clients_id_seq')")
    @Options(flushCache = Options.FlushCachePolicy.TRUE, useCache = false)
    long nextId();

    @Insert("INSERT INTO clients (id, name, time_zone, endpoint, sip_mode, sip_host, sip_port, sip_user, max_contacts, "
            + "active) VALUES (#{id}, #{name}, #{timeZone}, #{endpoint}, #{sipMode}, #{sipHost}, #{sipPort}, #{sipUser}, "
            + "#{maxContacts}, #{active})")
    void insert(Client client);

    @Update("UPDATE clients SET name = #{name}, time_zone = #{timeZone}, endpoint = #{endpoint}, sip_mode = #{sipMode}, "
            + "sip_host = #{sipHost}, sip_port = #{sipPort}, sip_user = #{sipUser}, max_contacts = #{maxContacts}, "
            + "active = #{active}, updated_at = now() WHERE id = #{id}")
    int update(Client client);

    @Select("SELECT EXISTS (SELECT 1 FROM campaign_client_settings WHERE client_id = #{id}) "
            + "OR EXISTS (SELECT 1 FROM call_logs WHERE client_id = #{id})")
    boolean isReferenced(long id);

    @Delete("DELETE FROM clients WHERE id = #{id}")
    int delete(long id);

    @Select("<script>SELECT client_id, day_of_week, open_time, close_time FROM client_schedules "
            + "WHERE client_id IN <foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach> ORDER BY client_id, day_of_week, open_time</script>")
    List<ScheduleHours> findSchedules(@Param("ids") List<Long> ids);

    @Delete("DELETE FROM client_schedules WHERE client_id = #{clientId}")
    void deleteSchedule(long clientId);

    @Insert("INSERT INTO client_schedules (client_id, day_of_week, open_time, close_time) "
            + "VALUES (#{clientId}, #{dayOfWeek}, #{openTime}, #{closeTime})")
    void insertSchedule(ScheduleHours hours);
}
