package io.capconduit.telephony;

import java.util.List;

import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/**
 * Writes Asterisk's PJSIP realtime rows. Enum-typed columns get literals or explicit casts: a bound text
 * parameter is not implicitly an {@code ast_bool_values}.
 */
@Mapper
interface PjsipMapper {

    @Insert("""
            INSERT INTO ps_endpoints (id, aors, auth, context, disallow, allow, direct_media, rtp_symmetric, force_rport,
                rewrite_contact, dtmf_mode, identify_by, trust_id_inbound, send_pai, device_state_busy_at, allow_overlap)
            VALUES (#{id}, #{id}, #{auth}, #{context}, 'all', #{allow}, 'no', 'yes', 'yes',
                #{rewriteContact}::ast_bool_values, 'rfc4733', #{identifyBy}, #{trusted}::ast_bool_values,
                #{trusted}::ast_bool_values, #{busyAt}, 'no')
            ON CONFLICT (id) DO UPDATE SET aors = excluded.aors, auth = excluded.auth, context = excluded.context,
                disallow = excluded.disallow, allow = excluded.allow, direct_media = excluded.direct_media,
                rtp_symmetric = excluded.rtp_symmetric, force_rport = excluded.force_rport,
                rewrite_contact = excluded.rewrite_contact, dtmf_mode = excluded.dtmf_mode,
                identify_by = excluded.identify_by, trust_id_inbound = excluded.trust_id_inbound,
                send_pai = excluded.send_pai, device_state_busy_at = excluded.device_state_busy_at,
                allow_overlap = excluded.allow_overlap""")
    void upsertEndpoint(PjsipProvisioner.Endpoint endpoint);

    /** Creates or replaces the AOR; whether the one it replaced had a static contact Asterisk qualifies. */
    @Select("""
            WITH replaced AS (
                SELECT contact IS NOT NULL AND qualify_frequency > 0 AS qualified FROM ps_aors WHERE id = #{id}
            ), written AS (
                INSERT INTO ps_aors (id, contact, max_contacts, remove_existing, qualify_frequency)
                VALUES (#{id}, #{contact}, #{maxContacts}, #{removeExisting}::ast_bool_values, #{qualifyFrequency})
                ON CONFLICT (id) DO UPDATE SET contact = excluded.contact, max_contacts = excluded.max_contacts,
                    remove_existing = excluded.remove_existing, qualify_frequency = excluded.qualify_frequency
                RETURNING 1
            )
            SELECT coalesce((SELECT qualified FROM replaced), false) FROM written""")
    @Options(flushCache = Options.FlushCachePolicy.TRUE)
    boolean upsertAor(PjsipProvisioner.Endpoint endpoint);

    @Insert("""
            INSERT INTO ps_auths (id, auth_type, username, password) VALUES (#{id}, 'userpass', #{username}, #{password})
            ON CONFLICT (id) DO UPDATE SET auth_type = excluded.auth_type, username = excluded.username,
                password = excluded.password""")
    void upsertAuth(@Param("id") String id, @Param("username") String username, @Param("password") String password);

    /** Who holds endpoint id {@code id}: "client", "trunk", "agent", "pjsip" (rows of no entity) or null. */
    @Select("""
            SELECT CASE WHEN EXISTS (SELECT 1 FROM clients WHERE endpoint = #{id}) THEN 'client'
                        WHEN EXISTS (SELECT 1 FROM trunks WHERE endpoint = #{id}) THEN 'trunk'
                        WHEN EXISTS (SELECT 1 FROM agents WHERE endpoint = #{id}) THEN 'agent'
                        WHEN EXISTS (SELECT 1 FROM ps_endpoints WHERE id = #{id})
                          OR EXISTS (SELECT 1 FROM ps_aors WHERE id = #{id})
                          OR EXISTS (SELECT 1 FROM ps_auths WHERE id = #{id})
                          OR EXISTS (SELECT 1 FROM ps_endpoint_id_ips WHERE endpoint = #{id}) THEN 'pjsip'
                   END""")
    String holderOf(String id);

    /**
     * Holds the endpoint id for the caller's transaction: two transactions taking the same id (a client and a
     * trunk created at once) check it one after the other, the second seeing the first's rows once committed.
     */
    @Select("SELECT 1 FROM pg_advisory_xact_lock(" + PjsipProvisioner.ENDPOINT_LOCK + ", hashtext(#{id}))")
    Integer lockId(String id);

    @Select("SELECT EXISTS (SELECT 1 FROM ps_auths WHERE id = #{id} AND password IS NOT NULL)")
    boolean hasAuth(String id);

    @Select("<script>SELECT id FROM ps_auths WHERE password IS NOT NULL AND id IN "
            + "<foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach></script>")
    List<String> findWithSecret(@Param("ids") List<String> ids);

    @Insert("""
            <script>INSERT INTO ps_endpoint_id_ips (id, endpoint, match) VALUES
            <foreach collection='matches' item='match' index='i' separator=','>(#{endpoint} || '-' || (#{i} + 1), #{endpoint}, #{match})</foreach>
            </script>""")
    void insertIdentifies(@Param("endpoint") String endpoint, @Param("matches") List<String> matches);

    @Delete("DELETE FROM ps_endpoint_id_ips WHERE endpoint = #{id}")
    void deleteIdentifies(String id);

    @Delete("DELETE FROM ps_endpoints WHERE id = #{id}")
    void deleteEndpoint(String id);

    /** Deletes the AOR; whether it had a static contact Asterisk qualifies (null when there was none). */
    @Select("DELETE FROM ps_aors WHERE id = #{id} RETURNING contact IS NOT NULL AND qualify_frequency > 0")
    @Options(flushCache = Options.FlushCachePolicy.TRUE)
    Boolean deleteAor(String id);

    @Delete("DELETE FROM ps_auths WHERE id = #{id}")
    void deleteAuth(String id);

    /**
     * The contacts devices registered on AOR {@code aor}, as Asterisk finds them: id {@code <aor>;@<hash>}, the
     * {@code ;} stored {@code ^3B} by res_config_odbc. Compared exactly, not with LIKE, where {@code _} matches any
     * character.
     */
    @Delete("""
            DELETE FROM ps_contacts WHERE endpoint = #{aor} OR left(id, length(#{aor}) + 4) = #{aor} || '^3B@'
                OR left(id, length(#{aor}) + 2) = #{aor} || ';@'""")
    void deleteContacts(String aor);

    /** Asks every app instance to reload res_pjsip on its AMI connections once the transaction commits. */
    @Select("SELECT 1 FROM pg_notify('" + PjsipReloads.CHANNEL + "', '')")
    Integer requestReload();
}
