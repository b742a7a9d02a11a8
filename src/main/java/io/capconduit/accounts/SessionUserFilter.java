package io.capconduit.accounts;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A browser session's user is read again on every request (one primary-key lookup): a user deactivated since
 * signing in loses the session at once, and one given another role or seller acts with the new one. Without
 * this, a session kept the rights it was signed in with until it expired. API tokens and Basic credentials are
 * checked against the database on each request already.
 */
class SessionUserFilter extends OncePerRequestFilter {

    private final UserMapper users;
    private final SecurityContextRepository sessions = new HttpSessionSecurityContextRepository();

    SessionUserFilter(UserMapper users) {
        this.users = users;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getSession(false);
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (session != null && authentication != null
                && authentication.getPrincipal() instanceof AuthenticatedUser signedIn) {
            Optional<User> now = users.findById(signedIn.userId());
            if (now.isEmpty() || !now.get().enabled()) {
                SecurityContextHolder.clearContext();
                session.invalidate();   // the request goes on unauthenticated, and is refused as such
            }
            else {
                AuthenticatedUser current = new AuthenticatedUser(now.get());
                current.eraseCredentials();
                if (current.role() != signedIn.role() || !Objects.equals(current.sellerScope(), signedIn.sellerScope())) {
                    SecurityContext context = SecurityContextHolder.createEmptyContext();
                    context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(current, null,
                            current.getAuthorities()));
                    SecurityContextHolder.setContext(context);
                    sessions.saveContext(context, request, response);
                }
            }
        }
        chain.doFilter(request, response);
    }
}
