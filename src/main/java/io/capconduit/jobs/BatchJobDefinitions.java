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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Every job file of the configured folder (or, with none configured and no {@code batch-jobs/} in the working
 * directory, of the classpath copy), read and checked once at start-up.
 */
@Component
public class BatchJobDefinitions {

    /** The folder read when none is configured, relative to the working directory. */
    static final String DEFAULT_FOLDER = "batch-jobs";

    private static final Logger log = LoggerFactory.getLogger(BatchJobDefinitions.class);

    private final List<BatchJobDefinition> definitions;

    @Autowired
    BatchJobDefinitions(BatchJobsProperties properties) {
        this(properties.definitions() == null ? loadDefault() : load(properties.definitions()));
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

    /** The configured folder, which must exist: a mistyped path must not quietly run the packaged schedules. */
    static List<BatchJobDefinition> load(String folder) {
        Path directory = Path.of(folder).toAbsolutePath();
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("capconduit.jobs.definitions names " + directory
                    + ", which is not a folder: create it, or leave the setting out to read " + DEFAULT_FOLDER
                    + "/ of the working directory (or the copy packaged in the jar)");
        }
        log.info("Reading the batch-jobs files of {}", directory);
        return read(inFolder(directory));
    }

    static List<BatchJobDefinition> loadDefault() {
        if (Files.isDirectory(Path.of(DEFAULT_FOLDER))) {
            return load(DEFAULT_FOLDER);
        }
        log.info("Reading the batch-jobs files packaged in the jar (classpath:batch-jobs/): no {}/ in {}",
                DEFAULT_FOLDER, Path.of("").toAbsolutePath());
        return read(onClasspath());
    }

    private static List<BatchJobDefinition> read(Resource[] files) {
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
            List<Path> files = paths.sorted().toList();
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(".yaml")) {
                    // read as nothing, it would leave its job unscheduled without a word
                    throw new InvalidBatchJobDefinitionException(name, "(file)", "job files end in .yml: rename it to "
                            + name.substring(0, name.length() - ".yaml".length()) + ".yml");
                }
            }
            return files.stream().filter(p -> p.getFileName().toString().endsWith(".yml"))
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
