package io.capconduit.calls;

import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/** The GraphQL Recording type's URL: where {@link RecordingRestController} streams it. */
@Controller
class RecordingController {

    private final RecordingUrls urls;

    RecordingController(RecordingUrls urls) {
        this.urls = urls;
    }

    @SchemaMapping
    String url(Recording recording) {
        return urls.of(recording.id());
    }
}
