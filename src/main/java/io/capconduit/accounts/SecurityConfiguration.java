package io.capconduit.accounts;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * One filter chain: HTTP Basic or a bearer API token ({@link ApiTokens}) for programs, a login form for people using GraphiQL in a browser.
 * Wrong passwords are throttled ({@link SignInThrottle}).
 * Authorisation of data sits on the services ({@code @PreAuthorize}); of the actuator here (health open, its details
 * to ADMIN and STAFF through {@code management.endpoint.health.roles}, the rest ADMIN only).
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, ApiTokens apiTokens, UserMapper users,
            SignInThrottle throttle) throws Exception {
        http.addFilterBefore(new ApiTokenAuthenticationFilter(apiTokens), BasicAuthenticationFilter.class)
                .addFilterBefore(new SignInThrottleFilter(throttle), UsernamePasswordAuthenticationFilter.class)
                .addFilterAfter(new SessionUserFilter(users), SecurityContextHolderFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll()
                        // metrics and the like describe the whole platform, every seller's traffic included
                        .requestMatchers("/actuator/**").hasRole(Role.ADMIN.name())
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .formLogin(Customizer.withDefaults())
                // A cross-site page can make a browser post a form (multipart too) with its session cookie or cached
                // Basic credentials, but cannot add a bearer token nor send JSON without a CORS preflight. So:
                // /graphql takes JSON only (Spring GraphQL answers anything else with 415), and the REST uploads
                // skip the CSRF token only for a bearer API token.
                .csrf(csrf -> csrf.ignoringRequestMatchers(PathPatternRequestMatcher.pathPattern("/graphql"),
                        SecurityConfiguration::carriesBearerToken));
        return http.build();
    }

    private static boolean carriesBearerToken(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }
}
