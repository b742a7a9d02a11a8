package io.capconduit.system;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JVM killed hard (kill -9, a crashed IDE) leaves its embedded PostgreSQL running, holding the port and the
 * data folder. The next start finds it through {@code postmaster.pid} and shuts it down (fast shutdown:
 * SIGINT), so the developer does not have to hunt for the process. A postmaster whose JVM still runs (a second
 * CapConduit started on the same data folder) is not left behind: that start fails instead, and the database the
 * first one serves (Asterisk's routing queries too) keeps running.
 */
final class StalePostmaster {

    private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);
    private static final Duration GRACE = Duration.ofSeconds(15);

    /** The file zonky's EmbeddedPostgres holds an OS lock on for as long as the JVM that started the server runs. */
    static final String JVM_LOCK_FILE = "epg-lock";

    private StalePostmaster() {
    }

    static void stopIfLeftBehind(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        postmaster(pidFile).ifPresent(process -> {
            if (ownerStillRuns(dataDir)) {
                throw new EmbeddedPostgresServer.EmbeddedDatabaseException("The embedded PostgreSQL in "
                        + dataDir.toAbsolutePath().normalize() + " (pid " + process.pid() + ") belongs to another "
                        + "CapConduit that is still running; it was left running. Stop that one first, or give this one "
                        + "a data folder and a port of its own (capconduit.embedded-db.data-dir, "
                        + "capconduit.embedded-db.port), or point both at one PostgreSQL with spring.datasource.url.",
                        null);
            }
            log.warn("An embedded PostgreSQL (pid {}) from an earlier run still serves {}; stopping it",
                    process.pid(), dataDir.toAbsolutePath().normalize());
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
                process.onExit().get(GRACE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            }
            catch (Exception ex) {
                if (ex instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                log.warn("It did not stop within {} s; terminating it", GRACE.toSeconds());
                process.destroyForcibly();
            }
        });
    }

    /**
     * Whether the JVM that started the postmaster still holds the data folder's lock file: a JVM that was killed
     * released it with its process, one that still runs (in this process too) did not.
     */
    static boolean ownerStillRuns(Path dataDir) {
        Path lockFile = dataDir.resolve(JVM_LOCK_FILE);
        if (!Files.isRegularFile(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        }
        catch (OverlappingFileLockException ex) {
            return true;
        }
        catch (IOException ex) {
            return false;   // cannot tell: as before, the postmaster is taken for one left behind
        }
    }

    private static Optional<ProcessHandle> postmaster(Path pidFile) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            long pid = Long.parseLong(lines.get(0).trim());
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
        }
        catch (IOException | RuntimeException ex) {
            return Optional.empty();   // unreadable or stale file: PostgreSQL itself will judge it
        }
    }
}
