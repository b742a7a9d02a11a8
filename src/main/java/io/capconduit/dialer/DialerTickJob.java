package io.capconduit.dialer;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;

import org.springframework.scheduling.quartz.QuartzJobBean;

/** The dialer's one-second tick. Clustered store + no concurrent execution: one tick at a time, anywhere. */
@DisallowConcurrentExecution
class DialerTickJob extends QuartzJobBean {

    private final ProgressiveDialer dialer;

    DialerTickJob(ProgressiveDialer dialer) {
        this.dialer = dialer;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        dialer.tick();
    }
}
