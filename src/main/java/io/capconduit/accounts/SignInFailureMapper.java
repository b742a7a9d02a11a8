package io.capconduit.accounts;

import java.time.Instant;

import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** The sign-in throttle's counts ({@code sign_in_failures}), keyed by the SHA-256 of what is counted. */
@Mapper
interface SignInFailureMapper {

    /**
     * What the open windows at {@code now} say of a sign-in: {@code refusedUntil} the latest end of one in which the
     * user name's key reached {@code maxForUser} failures or the address's key (null: none) reached
     * {@code maxForAddress} (null: not refused); {@code userCounted} whether the user name's key has a count at all.
     */
    @Select("SELECT max(window_ends) FILTER (WHERE (key = #{userKey} AND failures >= #{maxForUser}) "
            + "OR (key = #{addressKey} AND failures >= #{maxForAddress})) AS refused_until, "
            + "coalesce(bool_or(key = #{userKey}), false) AS user_counted "
            + "FROM sign_in_failures WHERE window_ends > #{now} AND (key = #{userKey} OR key = #{addressKey})")
    Counts counts(@Param("userKey") byte[] userKey, @Param("maxForUser") int maxForUser,
            @Param("addressKey") byte[] addressKey, @Param("maxForAddress") int maxForAddress,
            @Param("now") Instant now);

    record Counts(Instant refusedUntil, boolean userCounted) {
    }

    /** One more failure in the key's open window, or the first of a new window that ends at {@code windowEnds}. */
    @Insert("INSERT INTO sign_in_failures AS f (key, failures, window_ends) VALUES (#{key}, 1, #{windowEnds}) "
            + "ON CONFLICT (key) DO UPDATE SET "
            + "failures = CASE WHEN f.window_ends > #{now} THEN f.failures + 1 ELSE 1 END, "
            + "window_ends = CASE WHEN f.window_ends > #{now} THEN f.window_ends ELSE excluded.window_ends END")
    void count(@Param("key") byte[] key, @Param("now") Instant now, @Param("windowEnds") Instant windowEnds);

    @Delete("DELETE FROM sign_in_failures WHERE key = #{key}")
    void clear(byte[] key);

    /** Deletes up to {@code limit} counts whose window is over (they refuse nothing any more). */
    @Delete("DELETE FROM sign_in_failures WHERE key IN "
            + "(SELECT key FROM sign_in_failures WHERE window_ends <= #{now} LIMIT #{limit})")
    int deleteExpired(@Param("now") Instant now, @Param("limit") int limit);
}
