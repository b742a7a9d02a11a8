package io.capconduit.system;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.capconduit.CapConduitApplication;
import io.capconduit.support.TestDatabaseInitializer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An embedded PostgreSQL that cannot start (its port taken, its folder another CapConduit's) stops the start with
 * what to do, as Spring Boot reports a web port in use: not a hundred lines of nested bean-creation stack traces
 * with the reason in the last of them.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedDatabaseStartFailureTests {

    @TempDir
    Path dataDir;

    @Test
    void anEmbeddedDatabasePortInUseIsReportedAsWhatToChange(CapturedOutput output) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            SpringApplication application = new SpringApplication(CapConduitApplication.class);
            // the embedded database whatever the test run uses (a Docker engine's container otherwise)
            application.setInitializers(application.getInitializers().stream()
                    .filter(initializer -> !(initializer instanceof TestDatabaseInitializer)).toList());

            assertThatThrownBy(() -> application.run("--server.port=0", "--capconduit.embedded-db.port=" + port,
                    "--capconduit.embedded-db.data-dir=" + dataDir, "--capconduit.ami.auto-connect=false",
                    "--spring.quartz.auto-startup=false"))
                    .hasStackTraceContaining("Port " + port + " is already in use");

            assertThat(output.getOut() + output.getErr())
                    .contains("APPLICATION FAILED TO START")
                    .contains("Port " + port + " is already in use")
                    .contains("capconduit.embedded-db.port")
                    .doesNotContain("Application run failed");   // Boot's ERROR with the whole stack trace
        }
    }
}
