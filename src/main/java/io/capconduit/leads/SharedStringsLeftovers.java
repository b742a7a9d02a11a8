package io.capconduit.leads;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * At start-up, deletes the shared-strings files of xlsx imports a killed JVM left in the temporary folder; the nightly
 * leadImportFilePurgeJob deletes those a killed JVM on this host left since.
 */
@Component
class SharedStringsLeftovers {

    static final Path TEMPORARY_FOLDER = Path.of(System.getProperty("java.io.tmpdir"));
    /** Far longer than any import reads its file. */
    static final Duration AGE = Duration.ofDays(1);

    private static final Logger log = LoggerFactory.getLogger(SharedStringsLeftovers.class);

    @EventListener(ApplicationReadyEvent.class)
    void deleteLeftovers() {
        try {
            int deleted = SharedStringsFile.deleteLeftovers(TEMPORARY_FOLDER, Instant.now(), AGE, Integer.MAX_VALUE);
            if (deleted > 0) {
                log.info("Deleted {} shared-strings files that stopped imports left in the temporary folder", deleted);
            }
        }
        catch (IOException | RuntimeException ex) {
            log.warn("Could not look for the shared-strings files of stopped imports: {}", ex.getMessage());
        }
    }
}
