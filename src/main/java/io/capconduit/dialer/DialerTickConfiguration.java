package io.capconduit.dialer;

import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Schedules {@link DialerTickJob} every second; a missed tick is skipped, not made up. */
@Configuration(proxyBeanMethods = false)
class DialerTickConfiguration {

    @Bean
    JobDetail dialerTickJobDetail() {
        return JobBuilder.newJob(DialerTickJob.class).withIdentity("dialerTick", "dialer")
                .withDescription("Progressive dialer tick over every active outbound campaign").storeDurably().build();
    }

    @Bean
    Trigger dialerTickTrigger(JobDetail dialerTickJobDetail) {
        return TriggerBuilder.newTrigger().forJob(dialerTickJobDetail).withIdentity("dialerTick", "dialer")
                .withSchedule(SimpleScheduleBuilder.repeatSecondlyForever(1)
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
    }
}
