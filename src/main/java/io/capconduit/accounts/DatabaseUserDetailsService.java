package io.capconduit.accounts;

import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

/** Users live in the {@code users} table with bcrypt hashes. */
@Service
class DatabaseUserDetailsService implements UserDetailsService {

    private final UserMapper users;

    DatabaseUserDetailsService(UserMapper users) {
        this.users = users;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        return users.findByUsername(username)
                .map(AuthenticatedUser::new)
                .orElseThrow(() -> new UsernameNotFoundException("No such user"));
    }
}
