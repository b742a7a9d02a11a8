package io.capconduit.accounts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.www.BasicAuthenticationConverter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 429 with {@code Retry-After} to HTTP Basic credentials and login-form posts whose user name or client
 * address {@link SignInThrottle} refuses, before their password is checked. The answer is written here, not
 * through the error page: that dispatch would run the Basic filter, and bcrypt, again.
 */
class SignInThrottleFilter extends OncePerRequestFilter {

    private final SignInThrottle throttle;
    private final BasicAuthenticationConverter basic = new BasicAuthenticationConverter();
    private final RequestMatcher loginForm = PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/login");

    SignInThrottleFilter(SignInThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Duration> refusal = signingInAs(request)
                .flatMap(username -> throttle.refusal(username, request.getRemoteAddr()));
        if (refusal.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        long seconds = SignInThrottle.seconds(refusal.get());
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
        response.setContentType(MediaType.TEXT_PLAIN_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(SignInThrottle.refusedMessage(refusal.get()));
    }

    private Optional<String> signingInAs(HttpServletRequest request) {
        if (loginForm.matches(request)) {
            return Optional.of(String.valueOf(request.getParameter("username")));
        }
        try {
            return Optional.ofNullable(basic.convert(request)).map(credentials -> credentials.getName());
        }
        catch (AuthenticationException malformed) {
            return Optional.empty();   // the Basic filter answers it with 401
        }
    }
}
