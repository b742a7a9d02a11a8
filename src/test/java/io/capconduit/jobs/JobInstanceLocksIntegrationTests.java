package io.capconduit.jobs;

import java.time.Duration;
import java.time.Instant;

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

    /** The kernel's default would keep a dead host's locks for over two hours. */
    @Test
    void theLockConnectionNoticesADeadPeerWithinAMinute() throws Exception {
        assertThat(locks.acquire(INSTANCE)).isTrue();

        int idle = Integer.parseInt(locks.lockConnectionSetting("tcp_keepalives_idle"));
        int interval = Integer.parseInt(locks.lockConnectionSetting("tcp_keepalives_interval"));
        int count = Integer.parseInt(locks.lockConnectionSetting("tcp_keepalives_count"));
        assertThat(idle).isBetween(1, 60);
        assertThat(idle + interval * count).isLessThanOrEqualTo(90);
    }

    /** A killed lock connection takes the locks with it while the runs go on: they are taken again. */
    @Test
    void aLostLockConnectionsLocksAreHeldAgainShortlyAfter() throws Exception {
        assertThat(locks.acquire(INSTANCE)).isTrue();
        Integer lost = holderOfTheLock();
        assertThat(lost).isNotNull();

        jdbc.queryForObject("SELECT pg_terminate_backend(?)", Boolean.class, lost);

        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        Integer holder = holderOfTheLock();
        while ((holder == null || holder.equals(lost)) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            holder = holderOfTheLock();
        }
        assertThat(holder).isNotNull().isNotEqualTo(lost);
    }

    private Integer holderOfTheLock() {
        return jdbc.query("""
                SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
                                           AND classid = ?::oid AND objid = ?::oid""",
                rows -> rows.next() ? rows.getInt(1) : null, JobInstanceLocks.LOCK, (int) INSTANCE);
    }
}
