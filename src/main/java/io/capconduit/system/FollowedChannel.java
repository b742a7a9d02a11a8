package io.capconduit.system;

import io.capconduit.system.PostgresNotifications.Notification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.SmartLifecycle;

/**
 * A {@link PostgresNotifications} channel this instance acts on while it runs: each notification, and the
 * {@link Notification#missedSome() missed-some} marker after the listening connection was down, handed in order to
 * {@link #received} on a thread of its own (never the listener's, since acting may read the database or wait on
 * Asterisk).
 */
public abstract class FollowedChannel implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FollowedChannel.class);

    private final PostgresNotifications notifications;
    private final String channel;
    private final String threadName;
    private volatile Disposable subscription;
    private volatile Scheduler worker;

    protected FollowedChannel(PostgresNotifications notifications, String channel, String threadName) {
        this.notifications = notifications;
        this.channel = channel;
        this.threadName = threadName;
    }

    /** One notification of the channel, or the marker that some were missed. */
    protected abstract void received(Notification notification);

    @Override
    public synchronized void start() {
        worker = Schedulers.newSingle(threadName, true);
        subscription = notifications.channel(channel).publishOn(worker).subscribe(this::handOver,
                error -> log.error("Notifications on {}: no longer followed", channel, error));
    }

    /** One notification that could not be acted on is logged; the channel is followed on. */
    private void handOver(Notification notification) {
        try {
            received(notification);
        }
        catch (RuntimeException ex) {
            log.warn("A notification on {} was not acted on here: {}", channel, ex.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        if (subscription != null) {
            subscription.dispose();
            worker.dispose();
            subscription = null;
        }
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }
}
