package io.capconduit.telephony;

import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** ami_forwarded_actions (V9_75_0): actions one app instance has another send over its AMI connection. */
@Mapper
interface AmiForwardedActionMapper {

    /** An action waiting to be taken, as the asking instance wrote it. */
    record Request(long id, long serverId, String action, String fields) {
    }

    /** What became of an action: not taken yet, taken, or answered (outcome, message and the answer's fields). */
    record Reply(boolean taken, String outcome, String message, String answer) {

        boolean answered() {
            return outcome != null;
        }
    }

    /**
     * Asks for the action, to be taken before {@code waitMillis} have passed; rows whose asker never deleted them
     * (it died waiting), a minute past their expiry, go.
     */
    @Select("WITH stale AS (DELETE FROM ami_forwarded_actions WHERE expires_at < now() - interval '1 minute') "
            + "INSERT INTO ami_forwarded_actions (server_id, action, fields, requested_by, expires_at) VALUES "
            + "(#{serverId}, #{action}, CAST(#{fields} AS jsonb), #{instance}::uuid, "
            + "now() + #{waitMillis} * interval '1 millisecond') RETURNING id")
    long request(@Param("serverId") long serverId, @Param("action") String action, @Param("fields") String fields,
            @Param("instance") String instance, @Param("waitMillis") long waitMillis);

    @Select("SELECT id, server_id, action, fields::text FROM ami_forwarded_actions "
            + "WHERE id = #{id} AND taken_at IS NULL AND expires_at > now()")
    Optional<Request> waiting(long id);

    @Select("SELECT id FROM ami_forwarded_actions WHERE taken_at IS NULL AND expires_at > now() ORDER BY id")
    List<Long> allWaiting();

    /** 1 if this instance took the action: no other did, and its asker is still waiting. */
    @Update("UPDATE ami_forwarded_actions SET taken_by = #{instance}::uuid, taken_at = now() "
            + "WHERE id = #{id} AND taken_at IS NULL AND expires_at > now()")
    int take(@Param("id") long id, @Param("instance") String instance);

    @Update("UPDATE ami_forwarded_actions SET outcome = #{outcome}, message = #{message}, "
            + "answer = CAST(#{answer} AS jsonb), answered_at = now() WHERE id = #{id} AND answered_at IS NULL")
    int answer(@Param("id") long id, @Param("outcome") String outcome, @Param("message") String message,
            @Param("answer") String answer);

    @Select("SELECT taken_at IS NOT NULL AS taken, outcome, message, answer::text FROM ami_forwarded_actions "
            + "WHERE id = #{id}")
    Optional<Reply> reply(long id);

    /** 1 if the action was not taken yet and now never will be. */
    @Delete("DELETE FROM ami_forwarded_actions WHERE id = #{id} AND taken_at IS NULL")
    int withdraw(long id);

    @Delete("DELETE FROM ami_forwarded_actions WHERE id = #{id}")
    int delete(long id);
}
