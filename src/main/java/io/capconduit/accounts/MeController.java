package io.capconduit.accounts;

import io.capconduit.system.InvalidInputException;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Controller;

@Controller
class MeController {

    private final UserMapper users;
    private final PasswordEncoder passwordEncoder;
    private final PasswordChanges passwordChanges;
    private final SignInThrottle throttle;

    MeController(UserMapper users, PasswordEncoder passwordEncoder, PasswordChanges passwordChanges,
            SignInThrottle throttle) {
        this.users = users;
        this.passwordEncoder = passwordEncoder;
        this.passwordChanges = passwordChanges;
        this.throttle = throttle;
    }

    @QueryMapping
    CurrentUser me(@AuthenticationPrincipal AuthenticatedUser user) {
        return new CurrentUser(user.userId(), user.getUsername(), user.role(), user.sellerScope());
    }

    @MutationMapping
    ChangeMyPasswordPayload changeMyPassword(@Argument ChangeMyPasswordInput input,
            @AuthenticationPrincipal AuthenticatedUser user) {
        User current = users.findById(user.userId()).orElseThrow();
        // throttled like a sign-in: a stolen session or token must not be a way to guess the password
        if (!throttle.check(user.getUsername(), () -> input.currentPassword() != null
                && Passwords.fitsBcrypt(input.currentPassword())
                && passwordEncoder.matches(input.currentPassword(), current.passwordHash()))) {
            throw new InvalidInputException("currentPassword", "does not match your current password");
        }
        Passwords.check("newPassword", input.newPassword());
        passwordChanges.change(user.userId(), input.newPassword());
        return new ChangeMyPasswordPayload(true);
    }

    record CurrentUser(long id, String username, Role role, Long sellerId) {
    }

    record ChangeMyPasswordInput(String currentPassword, String newPassword) {

        @Override
        public String toString() {
            return "ChangeMyPasswordInput[currentPassword=" + Passwords.masked(currentPassword) + ", newPassword="
                    + Passwords.masked(newPassword) + "]";
        }
    }

    record ChangeMyPasswordPayload(boolean changed) {
    }
}
