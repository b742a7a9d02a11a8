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
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A browser session's user is read again on every request (one primary-key lookup): a user deactivated since
 * signing in, or whose password changed since, loses the session at once, and one given another role or seller
 * acts with the new one. Without this, a session kept the rights it was signed in with until it expired. API
 * tokens and Basic credentials are checked against the database on each request already.
 */
class SessionUserFilter extends OncePerRequestFilter {

    private static final String SESSION_CONTEXT = HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY;

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
            if (now.isEmpty() || !now.get().enabled()
                    || now.get().credentialsVersion() != signedIn.credentialsVersion()) {
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

    /**
     * After {@code user} changed its own password, the browser session of this request, if it has one, stays
     * signed in under the new credentials version, and under a new session id: whoever else holds the old
     * cookie is signed out with the user's other sessions.
     */
    static void keepCurrentSession(User user) {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
            return;
        }
        HttpServletRequest request = attributes.getRequest();
        HttpSession session = request.getSession(false);
        // only a session signed in as this user: a Basic or bearer request may carry some other session's cookie
        if (session != null && session.getAttribute(SESSION_CONTEXT) instanceof SecurityContext stored
                && stored.getAuthentication() != null
                && stored.getAuthentication().getPrincipal() instanceof AuthenticatedUser signedIn
                && signedIn.userId() == user.id()) {
            AuthenticatedUser current = new AuthenticatedUser(user);
            current.eraseCredentials();
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(current, null,
                    current.getAuthorities()));
            session.setAttribute(SESSION_CONTEXT, context);
            request.changeSessionId();
        }
    }
}
