package io.capconduit.accounts;

import java.util.List;

import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The signed-in principal: who it is, its role, and for a SELLER the one seller it acts for. Services read
 * {@link #sellerScope()} to restrict what a seller sees.
 */
public class AuthenticatedUser extends org.springframework.security.core.userdetails.User {

    private final long userId;
    private final Role role;
    private final Long sellerId;
    private final int credentialsVersion;

    AuthenticatedUser(User user) {
        super(user.username(), user.passwordHash(), user.enabled(), true, true, true,
                List.of(new SimpleGrantedAuthority(user.role().authority())));
        this.userId = user.id();
        this.role = user.role();
        this.sellerId = user.sellerId();
        this.credentialsVersion = user.credentialsVersion();
    }

    public long userId() {
        return userId;
    }

    public Role role() {
        return role;
    }

    /** The user's credentials version when it signed in: a session under an older one is ended. */
    int credentialsVersion() {
        return credentialsVersion;
    }

    /** The seller this user is confined to, or {@code null} for staff and admins, who see every seller. */
    public Long sellerScope() {
        return role == Role.SELLER ? sellerId : null;
    }
}
