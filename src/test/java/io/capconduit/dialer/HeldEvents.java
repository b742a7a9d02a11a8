package io.capconduit.dialer;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.asteriskjava.manager.event.FullyBootedEvent;
import org.asteriskjava.manager.event.ManagerEvent;

import io.capconduit.telephony.AmiListener;
import io.capconduit.telephony.TestAmiServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds the events that name no channel behind one FullyBooted "hold" event until released: what a busy
 * executor does to the events queued behind a slow one.
 */
final class HeldEvents implements AmiListener {

    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch drained = new CountDownLatch(1);

    @Override
    public void onEvent(long serverId, ManagerEvent event) {
        if (event instanceof FullyBootedEvent marker && "hold".equals(marker.getStatus())) {
            awaitLatch(released);
        }
        else if (event instanceof FullyBootedEvent marker && "drained".equals(marker.getStatus())) {
            drained.countDown();
        }
    }

    void hold(TestAmiServer asterisk) {
        asterisk.push(TestAmiServer.event("FullyBooted", "Status", "hold"));
    }

    void release() {
        released.countDown();
    }

    /** Releases the held events and waits until they have all been handled. */
    void releaseAndDrain(TestAmiServer asterisk) {
        release();
        asterisk.push(TestAmiServer.event("FullyBooted", "Status", "drained"));
        assertThat(awaitLatch(drained)).as("held events handled").isTrue();
    }

    private static boolean awaitLatch(CountDownLatch latch) {
        try {
            return latch.await(20, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
