package io.capconduit.accounts;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A new password cuts off every credential made with the old one, as after a suspected leak one expects: the
 * user's other browser sessions end at their next request, and every API token of the user is revoked, the one
 * the change was sent with included (whoever holds a copy of it must not keep access through it). A browser
 * session that made the change goes on under a new session id.
 */
@Component
class PasswordChanges {

    private final UserMapper users;
    private final ApiTokens tokens;
    private final PasswordEncoder passwordEncoder;

    PasswordChanges(UserMapper users, ApiTokens tokens, PasswordEncoder passwordEncoder) {
        this.users = users;
        this.tokens = tokens;
        this.passwordEncoder = passwordEncoder;
    }

    /** Sets the password, checked by the caller with {@link Passwords#check}. */
    @Transactional
    void change(long userId, String newPassword) {
        users.updatePassword(userId, passwordEncoder.encode(newPassword));
        tokens.revokeAll(userId);
        SessionUserFilter.keepCurrentSession(users.findById(userId).orElseThrow());
    }
}
