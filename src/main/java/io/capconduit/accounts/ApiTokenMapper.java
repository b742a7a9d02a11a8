package io.capconduit.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.ibatis.annotations.Arg;
import org.apache.ibatis.annotations.ConstructorArgs;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

@Mapper
interface ApiTokenMapper {

    /** The user a valid token signs in, with the token's id and expiry (null: never). */
    @Select("SELECT u.id, u.username, u.password_hash, u.role, u.seller_id, u.enabled, u.credentials_version, "
            + "u.created_at, u.updated_at, t.id AS token_id, t.expires_at FROM api_tokens t JOIN users u ON u.id = t.user_id "
            + "WHERE t.token_hash = #{hash} AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.enabled")
    @ConstructorArgs({
            @Arg(javaType = User.class, resultMap = "io.capconduit.accounts.UserMapper.user"),
            @Arg(column = "token_id", javaType = long.class),
            @Arg(column = "expires_at", javaType = Instant.class)})
    Optional<TokenOwner> findOwnerByHash(byte[] hash);

    record TokenOwner(User user, long tokenId, Instant expiresAt) {
    }

    /** Whether token {@code id} still signs its user in: neither revoked nor expired (the user is checked apart). */
    @Select("SELECT EXISTS (SELECT 1 FROM api_tokens WHERE id = #{id} AND revoked_at IS NULL "
            + "AND (expires_at IS NULL OR expires_at > now()))")
    boolean isValid(long id);

    @Insert("INSERT INTO api_tokens (user_id, name, token_hash, expires_at) "
            + "VALUES (#{userId}, #{name}, #{hash}, #{expiresAt})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    void insert(NewToken token);

    @Select("SELECT id, name, created_at, expires_at, revoked_at FROM api_tokens WHERE user_id = #{userId} ORDER BY id")
    List<ApiToken> findByUser(long userId);

    /** The user's tokens by id: those after {@code afterId} (null: from the first), at most {@code limit}. */
    @Select("<script>SELECT id, name, created_at, expires_at, revoked_at FROM api_tokens WHERE user_id = #{userId}"
            + "<if test='afterId != null'> AND id &gt; #{afterId}</if> ORDER BY id LIMIT #{limit}</script>")
    List<ApiToken> pageByUser(@Param("userId") long userId, @Param("afterId") Long afterId, @Param("limit") int limit);

    @Select("SELECT id, name, created_at, expires_at, revoked_at FROM api_tokens WHERE id = #{id}")
    Optional<ApiToken> findById(long id);

    @Update("UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = #{id} AND user_id = #{userId}")
    int revoke(@Param("id") long id, @Param("userId") long userId);

    @Update("UPDATE api_tokens SET revoked_at = now() WHERE user_id = #{userId} AND revoked_at IS NULL")
    int revokeAllOf(long userId);

    /** Insert parameters; {@code id} is filled with the generated key. */
    final class NewToken {
        public Long id;
        public final long userId;
        public final String name;
        public final byte[] hash;
        public final Instant expiresAt;

        NewToken(long userId, String name, byte[] hash, Instant expiresAt) {
            this.userId = userId;
            this.name = name;
            this.hash = hash;
            this.expiresAt = expiresAt;
        }
    }
}
