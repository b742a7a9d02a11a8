package io.capconduit.calls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import io.capconduit.accounts.SellerAccess;
import io.capconduit.system.FolderFiles;
import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * A recording's file in the recordings folder, for whoever may see its call log: staff and admins any, a seller
 * those of its own call logs (another's is answered as an id of nothing). The file name comes from the CDR, so it is
 * data: one that leads out of the folder is refused, never opened.
 */
@Service
@PreAuthorize("isAuthenticated()")
class RecordingService {

    private static final Logger log = LoggerFactory.getLogger(RecordingService.class);

    /**
     * The formats MixMonitor writes, by extension in any case (.WAV is GSM in a WAV file): raw GSM, μ-law and A-law
     * have no entry in the usual tables. Other audio types come from Spring's table.
     */
    private static final Map<String, MediaType> ASTERISK_TYPES = Map.of("wav", MediaType.parseMediaType("audio/wav"),
            "gsm", MediaType.parseMediaType("audio/x-gsm"), "ulaw", MediaType.parseMediaType("audio/basic"),
            "ul", MediaType.parseMediaType("audio/basic"), "alaw", MediaType.parseMediaType("audio/x-alaw-basic"),
            "al", MediaType.parseMediaType("audio/x-alaw-basic"));

    private final CallLogMapper callLogs;
    private final RecordingsProperties properties;

    RecordingService(CallLogMapper callLogs, RecordingsProperties properties) {
        this.callLogs = callLogs;
        this.properties = properties;
    }

    RecordingFile file(long id) {
        CallLogMapper.RecordedFile recording = callLogs.findRecordedFile(id)
                .filter(found -> SellerAccess.maySee(found.sellerId()))
                .orElseThrow(() -> new NotFoundException("Recording", id));
        String name = InvalidInputException.shown(recording.fileName());
        Path file = inFolder(recording.fileName());
        if (file == null) {
            log.warn("Recording {} refused: its file name '{}' leads out of the recordings folder {}", id, name,
                    folder());
            throw new Unavailable(false, "Recording " + id + " is refused: its file name '" + name
                    + "' (the CDR's recording_file) leads out of the recordings folder");
        }
        if (!Files.isRegularFile(file)) {
            throw new Unavailable(true, "Recording " + id + " (" + name + ") is not in the recordings folder"
                    + (SellerAccess.scope() == null ? whereToLook() : ""));
        }
        return new RecordingFile(file, mediaType(file), downloadName(id, file));
    }

    private Path inFolder(String fileName) {
        try {
            return FolderFiles.inside(properties.folder(), fileName);
        }
        catch (InvalidPathException ex) {   // a NUL in it: no file can have that name
            return null;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private Path folder() {
        return properties.folder().toAbsolutePath().normalize();
    }

    /** For staff and admins: which folder, and what to do when it is not there at all. */
    private String whereToLook() {
        String where = " " + folder() + " (capconduit.recordings.folder)";
        return Files.isDirectory(folder()) ? where
                : where + ", which does not exist: mount the Asterisk servers' monitor spool there";
    }

    /** An audio type by extension; anything else is a download of bytes, never a type a browser would run. */
    static MediaType mediaType(Path file) {
        String name = file.getFileName().toString();
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        MediaType type = ASTERISK_TYPES.get(extension);
        if (type == null) {
            type = MediaTypeFactory.getMediaType(name).filter(found -> found.getType().equals("audio"))
                    .orElse(MediaType.APPLICATION_OCTET_STREAM);
        }
        return type;
    }

    /** The file's own name with only letters, digits, '.', '-' and '_' (others '_'), for Content-Disposition. */
    static String downloadName(long id, Path file) {
        String name = file.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^\\.+", "");
        name = name.length() > 120 ? name.substring(name.length() - 120) : name;
        return name.isEmpty() ? "recording-" + id : name;
    }

    /** A recording's file, checked to lie inside the folder, as it is to be sent. */
    record RecordingFile(Path path, MediaType type, String name) {
    }

    /** The recording is visible but its file cannot be served: missing from the folder, or refused. */
    static final class Unavailable extends RuntimeException {

        private final boolean missing;

        Unavailable(boolean missing, String message) {
            super(message);
            this.missing = missing;
        }

        boolean missing() {
            return missing;
        }
    }
}
