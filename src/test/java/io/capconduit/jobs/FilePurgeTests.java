package io.capconduit.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A file purge deletes what nothing changed since the cutoff, inside its folder only. A test cannot date a file's
 * status change time back, so "old" files are those written before the cutoff is taken, "young" ones after.
 */
class FilePurgeTests {

    @TempDir
    Path temporary;

    @Test
    void filesUnchangedSinceTheCutoffGoAtMostLimitPerRunYoungOnesStay() throws Exception {
        Path folder = Files.createDirectories(temporary.resolve("reports"));
        Path old = write(folder.resolve("2025-01-01/seller-1.xlsx"));
        Path oldToo = write(folder.resolve("2025-01-01/seller-2.xlsx"));
        Path partial = write(folder.resolve("2025-01-02/.report-123.xlsx.part"));   // a write a crash cut off
        Instant cutoff = afterAPause();
        Path young = write(folder.resolve("2025-01-02/seller-1.xlsx"));

        assertThat(FilePurge.tree(folder).deleteChangedBefore(cutoff, 2)).isEqualTo(2);
        assertThat(FilePurge.tree(folder).deleteChangedBefore(cutoff, 2)).isEqualTo(1);
        assertThat(FilePurge.tree(folder).deleteChangedBefore(cutoff, 2)).isZero();

        assertThat(old).doesNotExist();
        assertThat(oldToo).doesNotExist();
        assertThat(partial).doesNotExist();
        assertThat(young).exists();
    }

    /** A copy or move that keeps its source's modification time (cp -p, a rename into done/) is young. */
    @Test
    void aFileMovedInKeepingAnOldModificationTimeStays() throws Exception {
        Path folder = Files.createDirectories(temporary.resolve("done"));
        Path moved = write(temporary.resolve("march.xlsx"));
        Files.setLastModifiedTime(moved, FileTime.from(Instant.now().minus(Duration.ofDays(400))));
        moved = Files.move(moved, folder.resolve("17-march.xlsx"));

        assertThat(FilePurge.tree(folder).deleteChangedBefore(Instant.now().minus(Duration.ofDays(90)), 10)).isZero();
        assertThat(moved).exists();
    }

    @Test
    void linksAreNeitherFollowedNorDeleted() throws Exception {
        Path outside = Files.createDirectories(temporary.resolve("outside"));
        Path precious = write(outside.resolve("precious.txt"));
        Path folder = Files.createDirectories(temporary.resolve("reports"));
        Path folderLink = Files.createSymbolicLink(folder.resolve("2025-01-01"), outside);
        Path fileLink = Files.createSymbolicLink(folder.resolve("seller-1.xlsx"), precious);
        Instant cutoff = afterAPause();

        assertThat(FilePurge.tree(folder).deleteChangedBefore(cutoff, 10)).isZero();
        assertThat(precious).exists();
        assertThat(folderLink).isSymbolicLink();
        assertThat(fileLink).isSymbolicLink();
    }

    /** The inbox is written by others: its done/ swapped for a link to elsewhere leads nowhere. */
    @Test
    void aPartThatIsALinkIsNotPurged() throws Exception {
        Path outside = Files.createDirectories(temporary.resolve("outside"));
        Path precious = write(outside.resolve("precious.txt"));
        Path inbox = Files.createDirectories(temporary.resolve("inbox"));
        Files.createSymbolicLink(inbox.resolve("done"), outside);
        Instant cutoff = afterAPause();

        assertThat(FilePurge.tree(inbox, "done").deleteChangedBefore(cutoff, 10)).isZero();
        assertThat(precious).exists();
    }

    /** The configured folder itself may be a link (the operator's choice): its files go. */
    @Test
    void theFolderItselfMayBeALink() throws Exception {
        Path real = Files.createDirectories(temporary.resolve("mounted-reports"));
        Path old = write(real.resolve("2025-01-01/seller-1.xlsx"));
        Path folder = Files.createSymbolicLink(temporary.resolve("reports"), real);
        Instant cutoff = afterAPause();

        assertThat(FilePurge.tree(folder).deleteChangedBefore(cutoff, 10)).isEqualTo(1);
        assertThat(old).doesNotExist();
    }

    /** An empty subfolder goes once unchanged for a day; a younger one may be a writer's, about to be written. */
    @Test
    void emptySubfoldersGoOnceUnchangedForADay() throws Exception {
        Path folder = Files.createDirectories(temporary.resolve("reports"));
        Path emptied = Files.createDirectories(folder.resolve("2025-01-01"));
        Path created = Files.createDirectories(folder.resolve("2025-01-02"));
        Files.setLastModifiedTime(emptied, FileTime.from(Instant.now().minus(Duration.ofDays(2))));

        assertThat(FilePurge.tree(folder).deleteChangedBefore(Instant.now(), 10)).isZero();
        assertThat(emptied).doesNotExist();
        assertThat(created).isDirectory();
        assertThat(folder).isDirectory();
    }

    @Test
    void aFolderNotThereHasNothingToPurge() throws Exception {
        assertThat(FilePurge.tree(temporary.resolve("missing")).deleteChangedBefore(Instant.now(), 10)).isZero();
        assertThat(FilePurge.tree(temporary, "missing").deleteChangedBefore(Instant.now(), 10)).isZero();
    }

    private static Path write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "x");
    }

    /** Now, with the file system's clock (a few milliseconds coarse) past it on either side. */
    static Instant afterAPause() throws InterruptedException {
        Thread.sleep(50);
        Instant now = Instant.now();
        Thread.sleep(50);
        return now;
    }
}
