package io.capconduit.jobs;

import java.util.List;

import io.capconduit.jobs.BatchJobViews.BatchJob;
import io.capconduit.jobs.BatchJobViews.BatchJobExecution;
import io.capconduit.jobs.BatchJobViews.BatchJobParameterInput;

import io.capconduit.system.InputChecks;
import reactor.core.publisher.Flux;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.stereotype.Controller;

@Controller
class JobsController {

    private final JobsService jobs;
    private final JobProgressService progress;

    JobsController(JobsService jobs, JobProgressService progress) {
        this.jobs = jobs;
        this.progress = progress;
    }

    @QueryMapping
    List<BatchJob> batchJobs() {
        return jobs.jobs();
    }

    @QueryMapping
    BatchJob batchJob(@Argument String name) {
        return jobs.job(name).orElse(null);
    }

    @QueryMapping
    BatchJobExecution batchJobExecution(@Argument long id) {
        return jobs.execution(id).orElse(null);
    }

    @SchemaMapping
    List<BatchJobExecution> executions(BatchJob job, @Argument Integer limit) {
        // an explicit null means the schema's default
        return jobs.executions(job.name(), InputChecks.atLeast("limit", limit == null ? 20 : limit, 1));
    }

    @MutationMapping
    BatchJobExecution runJob(@Argument String name, @Argument List<BatchJobParameterInput> parameters)
            throws Exception {
        return jobs.run(name, parameters);
    }

    @MutationMapping
    BatchJobExecution stopJobExecution(@Argument long id) throws Exception {
        return jobs.stop(id);
    }

    @MutationMapping
    BatchJobExecution restartJobExecution(@Argument long id) {
        return jobs.restart(id);
    }

    @SubscriptionMapping
    Flux<BatchJobExecution> jobExecutionProgress(@Argument long id) {
        return progress.progress(id);
    }
}
