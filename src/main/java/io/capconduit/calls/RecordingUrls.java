package io.capconduit.calls;

import jakarta.servlet.ServletContext;

import org.springframework.stereotype.Component;

/**
 * Where the API streams a recording ({@link RecordingRestController}): its path on this server, under the context
 * path the application is served at ({@code server.servlet.context-path}, or a container's), as a client must ask.
 */
@Component
public class RecordingUrls {

    private final ServletContext servletContext;

    RecordingUrls(ServletContext servletContext) {
        this.servletContext = servletContext;
    }

    /** The URL of recording {@code id}: {@code <context path>/api/recordings/<id>}. */
    public String of(long id) {
        return servletContext.getContextPath() + RecordingRestController.PATH + "/" + id;
    }
}
