package io.capconduit.calls;

import java.util.Map;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Streams a recording (same sign-in as the API): {@code GET /api/recordings/{id}}, with its audio type and length.
 * Spring answers a {@code Range} request with 206 and that part of the file, so a browser's player can seek.
 */
@RestController
class RecordingRestController {

    static final String PATH = "/api/recordings";

    private final RecordingService recordings;

    RecordingRestController(RecordingService recordings) {
        this.recordings = recordings;
    }

    @GetMapping(PATH + "/{id}")
    ResponseEntity<Resource> recording(@PathVariable long id) {
        RecordingService.RecordingFile file = recordings.file(id);
        // inline: a browser plays audio in place; a type that is not audio (octet-stream) is downloaded anyway
        ContentDisposition disposition = ContentDisposition.inline().filename(file.name()).build();
        return ResponseEntity.ok().contentType(file.type())
                .header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString())
                .body(new FileSystemResource(file.path()));
    }

    /** Missing from the folder: 404; a name leading out of it: 403, refused whoever asks. */
    @ExceptionHandler(RecordingService.Unavailable.class)
    ResponseEntity<Map<String, String>> unavailable(RecordingService.Unavailable ex) {
        return ResponseEntity.status(ex.missing() ? HttpStatus.NOT_FOUND : HttpStatus.FORBIDDEN)
                .body(Map.of("message", ex.getMessage()));
    }
}
