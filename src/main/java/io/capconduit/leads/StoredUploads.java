package io.capconduit.leads;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import io.capconduit.jobs.KeptBesideHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Uploaded files, full of personal data, kept only while a restart of their import may read them: deleted when
 * the import completed or refused the file, and by the nightly history purge once it can no longer be restarted
 * (ended for good, or failed longer ago than the retention) or, named by no import, is older than the retention.
 */
@Component
class StoredUploads implements KeptBesideHistory {

    private static final Logger log = LoggerFactory.getLogger(StoredUploads.class);

    private final LeadImportProperties properties;
    private final LeadImportMapper imports;

    StoredUploads(LeadImportProperties properties, LeadImportMapper imports) {
        this.properties = properties;
        this.imports = imports;
    }

    /** Stores an upload under {@code <upload folder>/<date>/<uuid>-<name>}; {@code safeName} has no path in it. */
    Path store(String safeName, InputStream content) throws IOException {
        Path folder = properties.uploadFolder().resolve(LocalDateTime.now(ZoneOffset.UTC).toLocalDate().toString());
        Files.createDirectories(folder);
        Path stored = folder.resolve(UUID.randomUUID() + "-" + safeName);
        try {
            Files.copy(content, stored, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (IOException | RuntimeException ex) {
            // cut off mid-way (the client went away, the disk filled): no import will read what arrived
            Files.deleteIfExists(stored);
            throw ex;
        }
        return stored;
    }

    /** Deletes the file if it is an upload (a server folder or inbox file is not ours to delete). */
    void delete(String file) {
        Path path = Path.of(file).toAbsolutePath().normalize();
        if (path.startsWith(properties.uploadFolder().toAbsolutePath().normalize())) {
            try {
                Files.deleteIfExists(path);
            }
            catch (IOException ex) {
                log.warn("Could not delete the upload {}: {}", path, ex.toString());
            }
        }
    }

    @Override
    public void purge(int retentionDays) {
        if (!Files.isDirectory(properties.uploadFolder())) {
            return;
        }
        FileTime storedBefore = FileTime.from(Instant.now().minus(Duration.ofDays(retentionDays)));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(properties.uploadFolder())) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        catch (IOException ex) {
            log.warn("Could not list the uploads: {}", ex.toString());
            return;
        }
        int deleted = 0;
        for (Path file : files) {
            try {
                // the job parameter holds the path as the upload was started with it
                Boolean restartable = imports.restartable(file.toAbsolutePath().toString(), retentionDays);
                if (restartable == null ? Files.getLastModifiedTime(file).compareTo(storedBefore) < 0 : !restartable) {
                    Files.deleteIfExists(file);
                    deleted++;
                }
            }
            catch (IOException ex) {
                log.warn("Could not delete the upload {}: {}", file, ex.toString());
            }
        }
        if (deleted > 0) {
            log.info("Deleted {} uploads whose imports can no longer be restarted", deleted);
        }
    }
}
