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
import org.apache.ibatis.annotations.ResultMap;
import org.apache.ibatis.annotations.Results;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

@Mapper
public interface UserMapper {

    String COLUMNS = "id, username, password_hash, role, seller_id, enabled, credentials_version, created_at, "
            + "updated_at";

    @Select("SELECT " + COLUMNS + " FROM users WHERE username = #{username}")
    // Mapped explicitly: constructor automapping by argument name compares every column with every parameter
    // name on every row, a large share of the CPU of reading lists.
    @Results(id = "user")
    @ConstructorArgs({
            @Arg(column = "id", javaType = long.class), @Arg(column = "username", javaType = String.class),
            @Arg(column = "password_hash", javaType = String.class), @Arg(column = "role", javaType = Role.class),
            @Arg(column = "seller_id", javaType = Long.class), @Arg(column = "enabled", javaType = boolean.class),
            @Arg(column = "credentials_version", javaType = int.class),
            @Arg(column = "created_at", javaType = Instant.class),
            @Arg(column = "updated_at", javaType = Instant.class)})
    Optional<User> findByUsername(String username);

    @Select("SELECT " + COLUMNS + " FROM users WHERE id = #{id}")
    @ResultMap("user")
    Optional<User> findById(long id);

    @Select("SELECT " + COLUMNS + " FROM users ORDER BY username")
    @ResultMap("user")
    List<User> findAll();

    /** Users by id: those after {@code afterId} (null: from the first), at most {@code limit}. */
    @Select("<script>SELECT " + COLUMNS + " FROM users<if test='afterId != null'> WHERE id &gt; #{afterId}</if> "
            + "ORDER BY id LIMIT #{limit}</script>")
    @ResultMap("user")
    List<User> page(@Param("afterId") Long afterId, @Param("limit") int limit);

    @Select("SELECT count(*) FROM users WHERE role = 'ADMIN' AND enabled")
    int countEnabledAdmins();

    /**
     * Locks user {@code id} and every enabled admin until the transaction ends, in id order so two callers cannot
     * deadlock. Changes of role or enabled state then apply one after the other: two admins demoting each other
     * at once cannot both see the other one still there. NO KEY: the username never changes.
     */
    @Select("SELECT id FROM users WHERE id = #{id} OR (role = 'ADMIN' AND enabled) ORDER BY id FOR NO KEY UPDATE")
    List<Long> lockWithEnabledAdmins(long id);

    @Insert("INSERT INTO users (username, password_hash, role, seller_id, enabled) "
            + "VALUES (#{username}, #{passwordHash}, #{role}, #{sellerId}, #{enabled})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    void insert(NewUser user);

    /** Sets the password and counts up the credentials version, which ends the user's browser sessions. */
    @Update("UPDATE users SET password_hash = #{passwordHash}, credentials_version = credentials_version + 1, "
            + "updated_at = now() WHERE id = #{id}")
    int updatePassword(@Param("id") long id, @Param("passwordHash") String passwordHash);

    @Update("UPDATE users SET role = #{role}, seller_id = #{sellerId}, enabled = #{enabled}, updated_at = now() "
            + "WHERE id = #{id}")
    int updateAccount(@Param("id") long id, @Param("role") Role role, @Param("sellerId") Long sellerId,
            @Param("enabled") boolean enabled);

    @Select("SELECT EXISTS (SELECT 1 FROM sellers WHERE id = #{sellerId})")
    boolean sellerExists(long sellerId);

    /** Insert parameters; {@code id} is filled with the generated key. */
    final class NewUser {
        public Long id;
        public final String username;
        public final String passwordHash;
        public final Role role;
        public final Long sellerId;
        public final boolean enabled;

        public NewUser(String username, String passwordHash, Role role, Long sellerId, boolean enabled) {
            this.username = username;
            this.passwordHash = passwordHash;
            this.role = role;
            this.sellerId = sellerId;
            this.enabled = enabled;
        }
    }
}
