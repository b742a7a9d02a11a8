package io.capconduit.system.graphql;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * GraphiQL at {@code /graphiql} (and the site's root leads there), served from the application's own static files
 * ({@code static/graphiql/}). Spring Boot's built-in page loads its JavaScript from a CDN, which many
 * networks block, so it is switched off ({@code spring.graphql.graphiql.enabled=false}).
 */
@Configuration(proxyBeanMethods = false)
class GraphiQlPage implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        // the site's address, where the login form sends a person who opened it directly
        registry.addRedirectViewController("/", "/graphiql/");
        registry.addRedirectViewController("/graphiql", "/graphiql/");
        registry.addViewController("/graphiql/").setViewName("forward:/graphiql/index.html");
    }
}
