package io.capconduit.jobs;

import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The instance locks tell whether a run is going on: one per job instance even within this app, noticed gone
 * within about a minute when their host dies, and held again when only their connection was lost.
 */
@IntegrationTest
class JobInstanceLocksIntegrationTests {

    /** No job instance of the test database gets this id. */
    private static final long INSTANCE = 1_000_000_042L;

    @Autowired
    JobInstanceLocks locks;

    @Autowired
    JdbcTemplate jdbc;

    @AfterEach
    void releaseTheLock() {
        locks.release(INSTANCE);
    }

    /** Advisory locks are re-entrant within a session, and all runs of this app share one session. */
    @Test
    void anInstanceThisAppAlreadyRunsIsNotTakenAgain() throws Exception {
        assertThat(locks.acquire(INSTANCE)).isTrue();

        assertThat(locks.acquire(INSTANCE)).isFalse();

        locks.release(INSTANCE);
        assertThat(locks.isRunning(INSTANCE)).isFalse();
        assertThat(locks.acquire(INSTANCE)).isTrue();
    }
}
