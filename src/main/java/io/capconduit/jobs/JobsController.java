package io.capconduit.jobs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import io.capconduit.jobs.BatchJobViews.BatchJob;
import io.capconduit.jobs.BatchJobViews.BatchJobExecution;
import io.capconduit.jobs.BatchJobViews.BatchJobParameterInput;
import io.capconduit.jobs.BatchJobViews.BatchJobSchedule;

import graphql.schema.DataFetchingEnvironment;
import io.capconduit.system.InputChecks;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;

@Controller
class JobsController {

    /** The DataLoader reading the executions of every job a request lists in one go. */
    private static final String RECENT_EXECUTIONS = "recentExecutions";

    private final JobsService jobs;
    private final JobProgressService progress;

    JobsController(JobsService jobs, JobProgressService progress, BatchLoaderRegistry loaders) {
        this.jobs = jobs;
        this.progress = progress;
        loaders.<RecentExecutions, List<BatchJobExecution>>forName(RECENT_EXECUTIONS)
                .registerMappedBatchLoader((keys, environment) -> Mono.fromSupplier(() -> recentExecutions(keys)));
    }

    /** A job's executions as one BatchJob.executions field asks for them. */
    private record RecentExecutions(String jobName, int limit) {
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

    @BatchMapping
    Map<BatchJob, BatchJobSchedule> schedule(List<BatchJob> list) {
        Map<String, BatchJobSchedule> byName = jobs.schedules(list.stream().map(BatchJob::name).toList());
        return list.stream().filter(job -> byName.containsKey(job.name()))
                .collect(Collectors.toMap(job -> job, job -> byName.get(job.name()), (a, b) -> a));
    }

    /** A field with an argument: batched through a DataLoader of its own, as @BatchMapping takes no arguments. */
    @SchemaMapping
    CompletableFuture<List<BatchJobExecution>> executions(BatchJob job, @Argument Integer limit,
            DataFetchingEnvironment environment) {
        // an explicit null means the schema's default
        int rows = InputChecks.range("limit", limit == null ? 20 : limit, 1, JobsService.MAX_EXECUTIONS);
        return environment.<RecentExecutions, List<BatchJobExecution>>getDataLoader(RECENT_EXECUTIONS)
                .load(new RecentExecutions(job.name(), rows));
    }

    /** Every job's at once for each limit asked (one, unless a request aliases the field with several). */
    private Map<RecentExecutions, List<BatchJobExecution>> recentExecutions(Set<RecentExecutions> keys) {
        Map<RecentExecutions, List<BatchJobExecution>> found = new HashMap<>();
        keys.stream().collect(Collectors.groupingBy(RecentExecutions::limit)).forEach((limit, sameLimit) -> {
            Map<String, List<BatchJobExecution>> byJob = jobs.executions(
                    sameLimit.stream().map(RecentExecutions::jobName).toList(), limit);
            sameLimit.forEach(key -> found.put(key, byJob.get(key.jobName())));
        });
        return found;
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
