package io.capconduit.dialer;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import java.util.stream.IntStream;

import org.asteriskjava.manager.event.DeviceStateChangeEvent;
import org.asteriskjava.manager.event.FullyBootedEvent;
import org.asteriskjava.manager.event.ManagerEvent;

import io.capconduit.telephony.AmiListener;
import io.capconduit.telephony.SeparateAmiConnection;
import io.capconduit.telephony.TestAmiServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds the events that name no channel behind one FullyBooted "hold" event until released: what a busy
 * executor does to the events queued behind a slow one. The connection still reads them as they come, and
 * asterisk-java stamps each with its arrival then.
 */
final class HeldEvents implements AmiListener {

    /** A device whose events run on another executor than the held ones, and that no agent has. */
    private static final String READ_MARKER = IntStream.iterate(0, i -> i + 1).mapToObj(i -> "Custom:read-" + i)
            .filter(device -> !SeparateAmiConnection.deviceOrdersWithEventsOfNoChannel(device))
            .findFirst().orElseThrow();

    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch drained = new CountDownLatch(1);
    private final CountDownLatch read = new CountDownLatch(1);

    @Override
    public void onEvent(long serverId, ManagerEvent event) {
        if (event instanceof FullyBootedEvent marker && "hold".equals(marker.getStatus())) {
            awaitLatch(released);
        }
        else if (event instanceof FullyBootedEvent marker && "drained".equals(marker.getStatus())) {
            drained.countDown();
        }
        else if (event instanceof DeviceStateChangeEvent device && READ_MARKER.equals(device.getDevice())) {
            read.countDown();
        }
    }

    void hold(TestAmiServer asterisk) {
        asterisk.push(TestAmiServer.event("FullyBooted", "Status", "hold"));
    }

    /**
     * Waits until the connection has read every event pushed so far, held ones included (a connection reads in
     * order, and a marker behind them runs on an executor not held): each has its arrival stamped, however much
     * later it is handled. Once only: the marker counts down one latch.
     */
    void awaitRead(TestAmiServer asterisk) {
        asterisk.push(TestAmiServer.event("DeviceStateChange", "Device", READ_MARKER, "State", "NOT_INUSE"));
        assertThat(awaitLatch(read)).as("events read").isTrue();
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
