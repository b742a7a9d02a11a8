package io.capconduit.system;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a few tasks at once, each on a thread of its own (one per PostgreSQL backend it drives), and returns only
 * when every one has ended: a failed or interrupted wait never leaves a task still writing behind its caller,
 * whose transaction or cleanup comes next. Used where one job step spreads its SQL over several connections.
 */
public final class SideBySide {

    private SideBySide() {
    }

    /**
     * The tasks' results in order, once all have ended; otherwise the first failure (in task order), the
     * others suppressed in it. A task that cannot even be started counts as failed; those started are still
     * waited for. An interrupt while waiting does not end the wait: afterwards an {@link InterruptedException}
     * is thrown if nothing failed, and otherwise the interrupt is added to the failure and the thread's
     * interrupt status set again.
     */
    public static <T> List<T> runAll(String threadName, List<? extends Callable<T>> tasks) throws Exception {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, tasks.size()), task -> {
            Thread thread = new Thread(task, threadName + "-" + threads.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        });
        List<Future<T>> running = new ArrayList<>();
        Throwable failure = null;
        try {
            for (Callable<T> task : tasks) {
                running.add(pool.submit(task));
            }
        }
        catch (RuntimeException | Error ex) {   // no thread for it (out of memory, too many processes)
            failure = ex;
        }
        finally {
            pool.shutdown();
        }
        List<T> results = new ArrayList<>();
        boolean interrupted = false;
        for (Future<T> task : running) {
            while (true) {
                try {
                    results.add(task.get());
                    break;
                }
                catch (ExecutionException ex) {
                    failure = firstOrSuppressed(failure, ex.getCause());
                    break;
                }
                catch (InterruptedException ex) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            InterruptedException interrupt = new InterruptedException(threadName + ": interrupted while waiting");
            if (failure == null) {
                throw interrupt;
            }
            failure.addSuppressed(interrupt);
            Thread.currentThread().interrupt();
        }
        if (failure instanceof Exception exception) {
            throw exception;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            throw new ExecutionException(failure);
        }
        return results;
    }

    private static Throwable firstOrSuppressed(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        if (next != first) {
            first.addSuppressed(next);
        }
        return first;
    }
}
