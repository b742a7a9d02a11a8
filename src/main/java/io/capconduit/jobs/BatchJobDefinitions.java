package io.capconduit.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/** Every job file of the configured folder (or of the classpath copy), read and checked once at start-up. */
@Component
public class BatchJobDefinitions {

    private final List<BatchJobDefinition> definitions;

    @Autowired
    BatchJobDefinitions(BatchJobsProperties properties) {
        this(load(properties.definitions()));
    }

    BatchJobDefinitions(List<BatchJobDefinition> definitions) {
        Map<String, String> fileOfJob = new HashMap<>();
        for (BatchJobDefinition definition : definitions) {
            String other = fileOfJob.putIfAbsent(definition.job(), definition.file());
            if (other != null) {
                throw new InvalidBatchJobDefinitionException(definition.file(), "job",
                        "'" + definition.job() + "' is already scheduled by " + other);
            }
        }
        this.definitions = List.copyOf(definitions);
    }

    public List<BatchJobDefinition> all() {
        return definitions;
    }

    public Optional<BatchJobDefinition> forJob(String jobName) {
        return definitions.stream().filter(d -> d.job().equals(jobName)).findFirst();
    }

    static List<BatchJobDefinition> load(String folder) {
        Path directory = Path.of(folder);
        Resource[] files = Files.isDirectory(directory) ? inFolder(directory) : onClasspath();
        Arrays.sort(files, Comparator.comparing(Resource::getFilename));
        List<BatchJobDefinition> read = new ArrayList<>();
        for (Resource file : files) {
            try (InputStream content = file.getInputStream()) {
                read.add(BatchJobDefinitionReader.read(file.getFilename(), content));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read batch-jobs file " + file.getFilename(), e);
            }
        }
        return read;
    }

    private static Resource[] inFolder(Path directory) {
        try (var paths = Files.list(directory)) {
            return paths.filter(p -> p.getFileName().toString().endsWith(".yml")).sorted()
                    .map(FileSystemResource::new).toArray(Resource[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + directory, e);
        }
    }

    private static Resource[] onClasspath() {
        try {
            return new PathMatchingResourcePatternResolver().getResources("classpath*:batch-jobs/*.yml");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list classpath:batch-jobs/", e);
        }
    }
}
