package io.capconduit.jobs;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import io.capconduit.system.PostgresNotifications;
import io.capconduit.system.PostgresNotifications.Notification;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.stereotype.Component;

/**
 * Follows a job execution for a subscriber, wherever it runs: a trigger on Spring Batch's execution tables
 * notifies each change (V9_52_0), and every app instance hears it. A job that commits many chunks a second is
 * not passed on chunk by chunk: a subscriber gets at most one state per {@link #INTERVAL}, the last one always.
 */
@Component
public class JobExecutionChanges {

    static final String CHANNEL = "capconduit_batch_progress";
    static final Duration INTERVAL = Duration.ofMillis(250);
    /**
     * How long an ended execution must stay as it is before the subscription completes. Spring Batch stores the end
     * before the job's listeners run and again after (an import's outcome, a refusal's reason): the final state is
     * the second one.
     */
    static final Duration SETTLE = Duration.ofSeconds(2);

    private static final Object NOW = new Object();

    private final Flux<Notification> notifications;

    JobExecutionChanges(PostgresNotifications notifications) {
        // asked for at start-up, so the channel is listened to before the first subscriber comes
        this.notifications = notifications.channel(CHANNEL);
    }

    /**
     * What {@code read} says of the execution at once, then after each change of it (each distinct state once),
     * until a state that {@code ended} accepts has stayed the last one for {@link #SETTLE}. Reads run on Reactor's
     * blocking-friendly threads, never on the listener's.
     */
    public <T> Flux<T> follow(long executionId, Callable<T> read, Predicate<T> ended) {
        String id = Long.toString(executionId);
        Flux<Object> changes = notifications.filter(n -> n.missedSome() || id.equals(n.payload())).cast(Object.class);
        // changes first: subscribed to before the first read, so a change right after that read is not lost
        return Flux.merge(changes, Mono.just(NOW))
                // a burst while a read (or the pause after it) is under way comes down to one more read
                .onBackpressureLatest()
                .concatMap(change -> Mono.fromCallable(read).subscribeOn(Schedulers.boundedElastic())
                        .concatWith(Mono.delay(INTERVAL).then(Mono.<T>empty())), 0)
                .distinctUntilChanged()
                .publish(states -> states.takeUntilOther(
                        states.switchMap(state -> ended.test(state) ? Mono.delay(SETTLE) : Mono.never())));
    }
}
