package io.capconduit.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A migration, once released, never changes: Flyway refuses to start a database that ran its earlier text
 * ("Migration checksum mismatch"), so an edit strands every installation made in between. Nine migrations were
 * edited after they reached main, stranding 71 of its commits. A change goes into a new migration; a new migration
 * gets its line in {@code db/migration-sha256.txt}.
 */
class MigrationsUnchangedTests {

    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final Path RELEASED = Path.of("src/test/resources/db/migration-sha256.txt");

    @Test
    void everyMigrationIsAsReleasedAndListed() throws IOException {
        Map<String, String> released;
        try (Stream<String> lines = Files.lines(RELEASED)) {
            released = lines.filter(line -> !line.isBlank() && !line.startsWith("#")).map(line -> line.split("\\s+"))
                    .collect(Collectors.toMap(fields -> fields[1], fields -> fields[0], (a, b) -> a, TreeMap::new));
        }
        Map<String, String> now = new TreeMap<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.toList()) {
                now.put(file.getFileName().toString(), sha256(file));
            }
        }

        assertThat(now.keySet()).as("migrations without a line in %s (add one)", RELEASED)
                .isSubsetOf(released.keySet());
        assertThat(released.keySet()).as("released migrations removed (never remove one)").isSubsetOf(now.keySet());
        now.forEach((name, sum) -> assertThat(sum).as("%s was changed after its release: put the change in a new "
                + "migration", name).isEqualTo(released.get(name)));
    }

    private static String sha256(Path file) throws IOException {
        try {
            // line endings aside, as Flyway's own checksum (a checkout with CRLF is the same migration)
            byte[] text = Files.readString(file).replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
