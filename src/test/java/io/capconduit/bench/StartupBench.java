package io.capconduit.bench;

import org.junit.jupiter.api.Test;

import io.capconduit.CapConduitApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** How long a fresh start takes: embedded PostgreSQL, every migration, demo data, the whole context. */
@Benchmark("startup")
class StartupBench {

    @Test
    void startOnAnEmptyDataFolder() {
        long started = System.nanoTime();
        try (ConfigurableApplicationContext context = SpringApplication.run(CapConduitApplication.class,
                "--spring.profiles.active=test", "--server.port=0", "--logging.level.root=ERROR")) {
            BenchReport.report("startup_empty_database_ms", (System.nanoTime() - started) / 1e6, "ms");
        }
    }
}
