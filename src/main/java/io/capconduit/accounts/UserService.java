package io.capconduit.accounts;

import java.util.List;
import java.util.Optional;

import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;
import io.capconduit.system.graphql.Connection;
import io.capconduit.system.graphql.KeysetCursor;
import io.capconduit.system.graphql.PageRequest;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** User administration (ADMIN only). Passwords go in as text, are stored as bcrypt and never come out. */
@Service
@PreAuthorize("hasRole('ADMIN')")
class UserService {

    private final UserMapper users;
    private final PasswordEncoder passwordEncoder;
    private final RecentApiTokens recentTokens;
    private final PasswordChanges passwordChanges;

    UserService(UserMapper users, PasswordEncoder passwordEncoder, RecentApiTokens recentTokens,
            PasswordChanges passwordChanges) {
        this.users = users;
        this.passwordEncoder = passwordEncoder;
        this.recentTokens = recentTokens;
        this.passwordChanges = passwordChanges;
    }

    List<User> findAll() {
        return users.findAll();
    }

    Connection<User> page(Integer first, String after) {
        PageRequest page = PageRequest.of(first, after, "users");
        return Connection.of(users.page(page.after() == null ? null : page.after().id(), page.fetchSize()), page,
                user -> KeysetCursor.ofId("users", user.id()));
    }

    User find(long id) {
        return users.findById(id).orElseThrow(() -> new NotFoundException("User", id));
    }

    @Transactional
    User create(UserController.CreateUserInput input) {
        String username = input.username() == null ? "" : input.username().strip();
        if (username.isEmpty() || username.length() > 100 || !username.matches("[A-Za-z0-9._@-]+")) {
            throw new InvalidInputException("username", "must be 1 to 100 letters, digits or . _ @ -");
        }
        if (users.findByUsername(username).isPresent()) {
            throw new InvalidInputException("username", "is already taken");
        }
        Passwords.check("password", input.password());
        checkSeller(input.role(), input.sellerId());
        UserMapper.NewUser row = new UserMapper.NewUser(username, passwordEncoder.encode(input.password()),
                input.role(), input.sellerId(), true);
        users.insert(row);
        return find(row.id);
    }

    @Transactional
    User update(long id, UserController.UpdateUserInput input) {
        users.lockWithEnabledAdmins(id);   // before reading: neither the user nor the admins change meanwhile
        User current = find(id);
        Role role = Optional.ofNullable(input.role()).orElse(current.role());
        Long sellerId = role != Role.SELLER ? null : Optional.ofNullable(input.sellerId()).orElse(current.sellerId());
        checkSeller(role, sellerId);
        boolean enabled = Optional.ofNullable(input.enabled()).orElse(current.enabled());
        keepAnAdmin(current, role, enabled, role != current.role() ? "role" : "enabled");
        recentTokens.forgetAll();   // a token must not keep a role, seller or enabled state the user lost
        users.updateAccount(id, role, sellerId, enabled);
        if (input.password() != null) {
            Passwords.check("password", input.password());
            passwordChanges.change(id, input.password());
        }
        return find(id);
    }

    @Transactional
    User deactivate(long id) {
        users.lockWithEnabledAdmins(id);
        User current = find(id);
        keepAnAdmin(current, current.role(), false, "id");
        recentTokens.forgetAll();
        users.updateAccount(id, current.role(), current.sellerId(), false);
        return find(id);
    }

    /**
     * Refuses a change that leaves no enabled ADMIN: nobody could manage users any more, and AdminBootstrap
     * creates its admin only while that name is free. The admins' rows are locked by the caller.
     */
    private void keepAnAdmin(User current, Role role, boolean enabled, String field) {
        boolean wasAdmin = current.role() == Role.ADMIN && current.enabled();
        if (wasAdmin && !(role == Role.ADMIN && enabled) && users.countEnabledAdmins() <= 1) {
            throw new InvalidInputException(field, "would leave no enabled ADMIN (" + current.username()
                    + " is the last); make another user ADMIN first");
        }
    }

    private void checkSeller(Role role, Long sellerId) {
        if (role == Role.SELLER && sellerId == null) {
            throw new InvalidInputException("sellerId", "is required for a SELLER user");
        }
        if (role != Role.SELLER && sellerId != null) {
            throw new InvalidInputException("sellerId", "is only for SELLER users");
        }
        if (sellerId != null && !users.sellerExists(sellerId)) {
            throw new InvalidInputException("sellerId", "no seller " + sellerId);
        }
    }
}
