package io.capconduit.system.graphql;

import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.webmvc.GraphQlWebSocketHandler;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.cors.CorsConfiguration;

/**
 * The GraphQL WebSocket (subscriptions) as Spring Boot sets it up, but opened by a browser only from a page of this
 * site. Boot checks the Origin only when CORS is configured for /graphql, which we do not want; without a check
 * any site's page could open a socket with the visitor's session or cached credentials and read what they may.
 * Programs send no Origin header and are not concerned.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("spring.graphql.websocket.path")
class GraphQlWebSocketOrigins {

    @Bean
    GraphQlWebSocketHandler graphQlWebSocketHandler(WebGraphQlHandler handler, GraphQlProperties properties,
            ObjectProvider<ServerHttpMessageConvertersCustomizer> customizers) {
        CorsConfiguration sameOriginOnly = new CorsConfiguration();
        sameOriginOnly.setAllowedOrigins(List.of());
        return new GraphQlWebSocketHandler(handler, json(customizers),
                properties.getWebsocket().getConnectionInitTimeout(), properties.getWebsocket().getKeepAlive(),
                sameOriginOnly);
    }

    /** The server's JSON converter, customised as for HTTP requests. */
    @SuppressWarnings("unchecked")
    private static HttpMessageConverter<Object> json(ObjectProvider<ServerHttpMessageConvertersCustomizer> customizers) {
        HttpMessageConverters.ServerBuilder builder = HttpMessageConverters.forServer();
        builder.registerDefaults();
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        for (HttpMessageConverter<?> converter : builder.build()) {
            if (converter.canRead(Map.class, MediaType.APPLICATION_JSON)) {
                return (HttpMessageConverter<Object>) converter;
            }
        }
        throw new IllegalStateException("No JSON converter");
    }
}
