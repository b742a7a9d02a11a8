package io.capconduit.system;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SideBySideTests {

    @Test
    void everyTaskRunsAtOnceAndTheResultsComeBackInTaskOrder() throws Exception {
        CountDownLatch allStarted = new CountDownLatch(3);
        List<Callable<Integer>> tasks = List.of(
                () -> startTogether(allStarted, 1), () -> startTogether(allStarted, 2), () -> startTogether(allStarted, 3));

        assertThat(SideBySide.runAll("test", tasks)).containsExactly(1, 2, 3);
    }

    @Test
    void aFailureIsThrownOnlyOnceTheSlowerTasksHaveEndedWithTheLaterFailuresSuppressed() {
        AtomicBoolean slowEnded = new AtomicBoolean();
        List<Callable<Integer>> tasks = List.of(
                () -> {
                    throw new IllegalStateException("first");
                },
                () -> {
                    Thread.sleep(300);
                    slowEnded.set(true);
                    return 2;
                },
                () -> {
                    throw new IllegalArgumentException("third");
                });

        assertThatThrownBy(() -> SideBySide.runAll("test", tasks)).isInstanceOf(IllegalStateException.class)
                .hasMessage("first")
                .satisfies(ex -> assertThat(ex.getSuppressed()).singleElement().hasToString(
                        "java.lang.IllegalArgumentException: third"));
        assertThat(slowEnded).isTrue();
    }

    @Test
    void anInterruptedCallerStillWaitsForEveryTaskThenThrowsTheInterrupt() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean taskEnded = new AtomicBoolean();
        AtomicBoolean endedBeforeReturn = new AtomicBoolean();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                SideBySide.runAll("test", List.<Callable<Integer>>of(() -> {
                    running.countDown();
                    release.await();
                    taskEnded.set(true);
                    return 1;
                }));
            }
            catch (Exception ex) {
                thrown.set(ex);
            }
            endedBeforeReturn.set(taskEnded.get());
        });
        caller.start();
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        caller.interrupt();
        // the interrupt is taken (the flag cleared by the wait it ended) and the caller waits again
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((caller.isInterrupted() || caller.getState() != Thread.State.WAITING) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(caller.isAlive()).isTrue();
        release.countDown();
        caller.join(5_000);

        assertThat(endedBeforeReturn).isTrue();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }

    private static int startTogether(CountDownLatch allStarted, int result) throws InterruptedException {
        allStarted.countDown();
        if (!allStarted.await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the tasks did not run at once");
        }
        return result;
    }
}
