package io.capconduit;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Back office of an Asterisk call platform: inbound pay-per-call routing and outbound progressive dialing. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CapConduitApplication {

    public static void main(String[] args) {
        SpringApplication.run(CapConduitApplication.class, args);
    }
}
