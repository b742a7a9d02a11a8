package io.capconduit.routing;

import java.time.Instant;
import java.util.Map;

import io.capconduit.jobs.BatchJobLauncher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Rolls cap windows once at start-up, so windows missed while the app was down read right at once. */
@Component
@Order(20)
class CapResetCatchUp implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(CapResetCatchUp.class);

    private final BatchJobLauncher launcher;

    CapResetCatchUp(BatchJobLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public void run(ApplicationArguments args) {
        try {
            launcher.run("capResetJob", Map.of(), Instant.now());
        } catch (Exception e) {
            log.error("Start-up cap window catch-up failed; the scheduled capResetJob will retry", e);
        }
    }
}
