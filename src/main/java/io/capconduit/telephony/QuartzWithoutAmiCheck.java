package io.capconduit.telephony;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Warns at start-up of an instance that runs Quartz but keeps no AMI connection ({@code capconduit.ami.auto-connect:
 * false}): the cluster hands each fire of a trigger to one instance, and a dialer tick or route claim sweep fired
 * here has no connection to use, so it does nothing and the campaigns dial more slowly than their settings say. The
 * README ("Several app instances") asks such an instance to set {@code spring.quartz.auto-startup: false}.
 */
@Component
class QuartzWithoutAmiCheck implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(QuartzWithoutAmiCheck.class);

    private final AmiProperties ami;
    private final Environment environment;

    QuartzWithoutAmiCheck(AmiProperties ami, Environment environment) {
        this.ami = ami;
        this.environment = environment;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (!ami.autoConnect() && environment.getProperty("spring.quartz.auto-startup", Boolean.class, true)) {
            log.warn("This instance runs the scheduled jobs (spring.quartz.auto-startup) but keeps no AMI connection "
                    + "(capconduit.ami.auto-connect: false): the dialer ticks and route claim sweeps the cluster fires "
                    + "here do nothing. Set spring.quartz.auto-startup: false on it, or let it keep AMI connections.");
        }
    }
}
