package io.capconduit.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for something another thread, connection or process brings about, failing the test after a bound. */
public final class Eventually {

    private Eventually() {
    }

    /** Polls {@code condition} every 25 ms until it holds; fails naming {@code what} after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(25);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, ex);
            }
        }
    }
}
