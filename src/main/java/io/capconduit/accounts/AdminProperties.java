package io.capconduit.accounts;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The first administrator, created at start-up when no user of that name exists. The password has no
 * default: set {@code capconduit.admin.password} (environment variable {@code CAPCONDUIT_ADMIN_PASSWORD}).
 */
@ConfigurationProperties("capconduit.admin")
public record AdminProperties(@DefaultValue("admin") String username, String password) {

    @Override
    public String toString() {
        return "AdminProperties[username=" + username + ", password=" + Passwords.masked(password) + "]";
    }
}
