package io.capconduit.telephony;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class QuartzWithoutAmiCheckTests {

    private static final String WARNING = "keeps no AMI connection";

    @Test
    void anInstanceRunningQuartzWithoutAmiConnectionsIsWarnedAbout(CapturedOutput output) {
        check(false, new MockEnvironment());   // Quartz starts unless told not to
        assertThat(output).contains(WARNING).contains("spring.quartz.auto-startup: false");
    }

    @Test
    void anInstanceWithAmiConnectionsOrWithoutQuartzIsNot(CapturedOutput output) {
        check(true, new MockEnvironment());
        check(false, new MockEnvironment().withProperty("spring.quartz.auto-startup", "false"));
        assertThat(output).doesNotContain(WARNING);
    }

    private static void check(boolean autoConnect, MockEnvironment environment) {
        AmiProperties ami = new AmiProperties(autoConnect, Duration.ofMillis(500), Duration.ofSeconds(30),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(20));
        new QuartzWithoutAmiCheck(ami, environment).onApplicationEvent(null);
    }
}
