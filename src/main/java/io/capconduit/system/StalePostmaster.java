package io.capconduit.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JVM killed hard (kill -9, a crashed IDE) leaves its embedded PostgreSQL running, holding the port and the
 * data folder. The next start finds it through {@code postmaster.pid} and shuts it down (fast shutdown:
 * SIGINT), so the developer does not have to hunt for the process.
 */
final class StalePostmaster {

    private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);
    private static final Duration GRACE = Duration.ofSeconds(15);

    private StalePostmaster() {
    }

    static void stopIfLeftBehind(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        postmaster(pidFile).ifPresent(process -> {
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
