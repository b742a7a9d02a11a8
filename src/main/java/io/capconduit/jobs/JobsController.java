package io.capconduit.jobs;

import java.util.List;

import io.capconduit.jobs.BatchJobViews.BatchJob;
import io.capconduit.jobs.BatchJobViews.BatchJobExecution;
import io.capconduit.jobs.BatchJobViews.BatchJobParameterInput;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

@Controller
class JobsController {

    private final JobsService jobs;

    JobsController(JobsService jobs) {
        this.jobs = jobs;
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
    List<BatchJobExecution> executions(BatchJob job, @Argument int limit) {
        return jobs.executions(job.name(), limit);
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
}
