package io.capconduit.telephony;

import io.capconduit.system.PostgresNotifications;
import io.capconduit.system.PostgresNotifications.Notification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reloads res_pjsip on the servers this instance is connected to whenever any instance asks for it
 * ({@link PjsipProvisioner}): the instance that provisioned a static AOR may hold no connection to them. Each
 * instance reloads its own connections, so with several a server reloads once per instance, which is harmless. A
 * request missed while the listening connection was down is not replayed: the AOR is qualified at the server's
 * next start, {@code pjsip reload}, or the next such change.
 */
@Component
class PjsipReloads implements SmartLifecycle {

    static final String CHANNEL = "capconduit_pjsip_reload";

    private static final Logger log = LoggerFactory.getLogger(PjsipReloads.class);

    private final AmiConnections ami;
    private final PostgresNotifications notifications;
    private volatile Disposable subscription;
    private volatile Scheduler worker;

    PjsipReloads(AmiConnections ami, PostgresNotifications notifications) {
        this.ami = ami;
        this.notifications = notifications;
    }

    @Override
    public synchronized void start() {
        worker = Schedulers.newSingle("pjsip-reloads", true);
        subscription = notifications.channel(CHANNEL).filter(notification -> !notification.missedSome())
                .publishOn(worker).subscribe(this::reload,
                        error -> log.error("res_pjsip reload requests: no longer followed", error));
    }

    private void reload(Notification notification) {
        ami.reloadPjsip();
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
