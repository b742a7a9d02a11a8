package io.capconduit.dialer;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;

import org.springframework.stereotype.Component;

/**
 * Where the dialer's slower database work runs when an AMI callback asks for it (a recovery after a reconnect,
 * a retried settle): never on the connection's event thread, whose answered calls have seconds to be
 * redirected, nor in the JVM's shared common pool.
 */
@Component
class DialerBackground {

    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "dialer-background-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    void run(Runnable task) {
        executor.execute(task);
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
