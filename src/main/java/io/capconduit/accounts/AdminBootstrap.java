package io.capconduit.accounts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Creates the first administrator from configuration, so a fresh database can be administered at all. It runs
 * after the demo data, which leaves its users out when a password is configured; a user of that name that exists
 * already with another password keeps it, and the log says so.
 */
@Component
@Order(20)
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final AdminProperties properties;
    private final UserMapper users;
    private final PasswordEncoder passwordEncoder;

    AdminBootstrap(AdminProperties properties, UserMapper users, PasswordEncoder passwordEncoder) {
        // the same rule as createUser (and within the users table's CHECK), told before anything starts
        String username = properties.username();
        if (username == null || username.isEmpty() || username.length() > 100 || !username.matches("[A-Za-z0-9._@-]+")) {
            throw new IllegalStateException("capconduit.admin.username (CAPCONDUIT_ADMIN_USERNAME) must be 1 to 100 "
                    + "letters, digits or . _ @ -, not '" + username + "'");
        }
        this.properties = properties;
        this.users = users;
        this.passwordEncoder = passwordEncoder;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (StringUtils.hasText(properties.password())) {
            var existing = users.findByUsername(properties.username());
            if (existing.isEmpty()) {
                users.insert(new UserMapper.NewUser(properties.username(),
                        passwordEncoder.encode(properties.password()), Role.ADMIN, null, true));
                log.info("Created administrator '{}' from capconduit.admin.password", properties.username());
            }
            else if (!passwordEncoder.matches(properties.password(), existing.get().passwordHash())) {
                log.warn("capconduit.admin.password is set but not applied: user '{}' exists already and keeps its own "
                        + "password. Change it with changeMyPassword or updateUser, and unset the setting.",
                        properties.username());
            }
        }
        else if (users.countEnabledAdmins() == 0) {
            log.warn("No administrator exists. Set CAPCONDUIT_ADMIN_PASSWORD (capconduit.admin.password) "
                    + "and restart to create '{}'.", properties.username());
        }
    }
}
