package io.capconduit.dialer;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Where the dialer's slower database work runs when an AMI callback asks for it (a recovery after a reconnect,
 * a retried settle): never on the connection's event thread, whose answered calls have seconds to be
 * redirected, nor in the JVM's shared common pool.
 */
@Component
class DialerBackground {

    private static final Logger log = LoggerFactory.getLogger(DialerBackground.class);
    private static final int ATTEMPTS = 3;

    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "dialer-background-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    void run(Runnable task) {
        executor.execute(task);
    }

    /**
     * Runs {@code work} in the background, tried three times a second or two apart (the database went away for a
     * moment); a last failure is logged with {@code what}. For settles that must not leave an entry DIALING
     * while its connection stays up: that entry would wait for the overdue sweep (DialerRecovery.resolveOverdue).
     */
    void retrying(String what, Runnable work) {
        run(() -> {
            for (int attempt = 1;; attempt++) {
                try {
                    work.run();
                    return;
                }
                catch (RuntimeException ex) {
                    if (attempt == ATTEMPTS) {
                        log.error("Could not {} after {} tries: it stays as it is until the overdue sweep resolves it",
                                what, ATTEMPTS, ex);
                        return;
                    }
                    try {
                        Thread.sleep(1_000L * attempt);
                    }
                    catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        });
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
