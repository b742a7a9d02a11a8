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
 * first one serves (Asterisk's routing queries too) keeps running. A {@code postmaster.pid} whose pid another process
 * has taken since (after a reboot or a container's restart) is removed, so that PostgreSQL does not take that
 * process for a server of the folder; another folder's PostgreSQL of that pid is left alone.
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
        Optional<ProcessHandle> named = namedProcess(pidFile);
        Optional<ProcessHandle> postmaster = named.filter(process -> serves(process, dataDir));
        if (named.isPresent() && postmaster.isEmpty() && !ownerStillRuns(dataDir)) {
            removeReusedPid(pidFile, named.get().pid(), dataDir);
        }
        postmaster.ifPresent(process -> {
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

    /** The live process whose pid the file names, whatever it is now. */
    private static Optional<ProcessHandle> namedProcess(Path pidFile) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            long pid = Long.parseLong(lines.get(0).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        }
        catch (IOException | RuntimeException ex) {
            return Optional.empty();   // unreadable file: PostgreSQL itself will judge it
        }
    }

    /**
     * Whether the process is a PostgreSQL serving this data folder: a postmaster works in its data directory. Where
     * there is no {@code /proc} to tell, any PostgreSQL is taken for it, as before.
     */
    static boolean serves(ProcessHandle process, Path dataDir) {
        if (!process.info().command().map(c -> c.endsWith("/postgres")).orElse(false)) {
            return false;
        }
        Path workingDirectory = Path.of("/proc", Long.toString(process.pid()), "cwd");
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return true;
        }
        try {
            return Files.isSameFile(workingDirectory, dataDir);
        }
        catch (IOException ex) {
            return false;   // another user's process: no server this user started on the folder
        }
    }

    /**
     * After a crash or a reboot (a container's restart above all) the pid the file names may be another process's:
     * PostgreSQL would take it for a live server of the folder and refuse to start, at every attempt. No server
     * serves the folder (none would run without its JVM, which holds the lock file), so the file is stale.
     */
    private static void removeReusedPid(Path pidFile, long pid, Path dataDir) {
        log.warn("{} names pid {}, which is no PostgreSQL serving {} now (the server stopped in a crash and the pid "
                + "was reused since); removing the stale file", pidFile.getFileName(), pid,
                dataDir.toAbsolutePath().normalize());
        try {
            Files.deleteIfExists(pidFile);
        }
        catch (IOException ex) {
            throw new EmbeddedPostgresServer.EmbeddedDatabaseException("The embedded PostgreSQL cannot start: "
                    + pidFile.toAbsolutePath().normalize() + " is left from a server that is no longer running (its pid "
                    + pid + " is another process's now) and could not be removed (" + ex.getMessage()
                    + "). Delete that file, then start again.", ex);
        }
    }
}
