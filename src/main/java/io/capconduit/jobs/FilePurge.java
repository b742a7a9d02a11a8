package io.capconduit.jobs;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files the application wrote into one folder, deleted once nothing has changed them for a retention: a purge step's
 * batch for files ({@link TaskletJobs#purgeStep}). Only what is inside the folder goes: symbolic links are neither
 * followed nor deleted, and where the platform allows it (Linux, macOS) each file is deleted through its folder's open
 * handle, so a subfolder swapped for a link meanwhile cannot lead the delete out. A file is old when its modification
 * time and, on Unix, its status change time (which a write or a rename into the folder moves, and no program can set
 * back) are both before the cutoff: a file being written, or just moved in keeping an old modification time, is young.
 * A file another app instance deleted first is not an error; one the system will not let go (open on Windows) is
 * logged and left for the next run. A subfolder left empty, and unchanged for a day, goes too.
 *
 * @param folder the folder; its own path may be a link (the operator's setting), nothing under it is followed
 * @param part the folder's subfolder to purge (null: the folder itself), never followed if a link
 * @param subfolders whether files in subfolders go too, else only those right in the folder
 * @param names which file names go
 */
public record FilePurge(Path folder, String part, boolean subfolders, Predicate<String> names) {

    private static final Logger log = LoggerFactory.getLogger(FilePurge.class);

    /** How long an empty subfolder stays: a writer may have just created it. */
    static final Duration EMPTY_FOLDER_GRACE = Duration.ofDays(1);

    /** Every file of the folder and its subfolders. */
    public static FilePurge tree(Path folder) {
        return new FilePurge(folder, null, true, name -> true);
    }

    /** Every file of the folder's subfolder {@code part} (the application's own, in a folder others write to). */
    public static FilePurge tree(Path folder, String part) {
        return new FilePurge(folder, part, true, name -> true);
    }

    /** The files right in the folder whose names {@code names} accepts (a shared folder: only ours). */
    public static FilePurge files(Path folder, Predicate<String> names) {
        return new FilePurge(folder, null, false, names);
    }

    /** Deletes at most {@code limit} files last changed before {@code before}; says how many it deleted. */
    public int deleteChangedBefore(Instant before, int limit) throws IOException {
        if (limit <= 0 || !Files.isDirectory(folder)) {
            return 0;   // not written to yet (or a share not mounted: nothing of ours to delete)
        }
        Path root = folder.toRealPath();
        Walk walk = new Walk(FileTime.from(before), FileTime.from(Instant.now().minus(EMPTY_FOLDER_GRACE)), limit);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root); Folder top = Folder.of(entries, root)) {
            if (part == null) {
                return walk.folder(top);
            }
            Path name = Path.of(part);
            try {
                if (!top.attributes(name).isDirectory()) {
                    log.warn("{} is not a folder (a link?): it is not purged", top.path(name));
                    return 0;
                }
                try (Folder sub = top.open(name)) {
                    return walk.folder(sub);
                }
            }
            catch (NoSuchFileException ex) {
                return 0;   // not written to yet
            }
        }
    }

    /** One run through the folder, counting what it deleted. */
    private final class Walk {

        private final FileTime before;
        private final FileTime emptySince;
        private final int limit;
        private int deleted;

        Walk(FileTime before, FileTime emptySince, int limit) {
            this.before = before;
            this.emptySince = emptySince;
            this.limit = limit;
        }

        int folder(Folder folder) throws IOException {
            try {
                for (Path entry : folder.entries()) {
                    if (deleted >= limit) {
                        break;
                    }
                    entry(folder, entry.getFileName());
                }
            }
            catch (DirectoryIteratorException ex) {
                if (!(ex.getCause() instanceof NoSuchFileException)) {
                    throw ex.getCause();
                }
            }
            return deleted;
        }

        private void entry(Folder folder, Path name) throws IOException {
            BasicFileAttributes attributes;
            try {
                attributes = folder.attributes(name);
            }
            catch (NoSuchFileException ex) {
                return;   // another app instance deleted it first
            }
            if (attributes.isDirectory() && subfolders) {
                try (Folder sub = folder.open(name)) {
                    folder(sub);
                }
                catch (NoSuchFileException ex) {
                    return;
                }
                if (attributes.lastModifiedTime().compareTo(emptySince) < 0 && deleted < limit) {
                    deleteIfEmpty(folder, name);
                }
            }
            else if (attributes.isRegularFile() && names.test(name.toString()) && old(folder, name, attributes)) {
                delete(folder, name);
            }
        }

        private boolean old(Folder folder, Path name, BasicFileAttributes attributes) throws IOException {
            if (attributes.lastModifiedTime().compareTo(before) >= 0) {
                return false;
            }
            FileTime changed = folder.changeTime(name);
            return changed == null || changed.compareTo(before) < 0;
        }

        private void delete(Folder folder, Path name) {
            try {
                folder.delete(name);
                deleted++;
            }
            catch (NoSuchFileException ex) {
                // another app instance deleted it first
            }
            catch (IOException ex) {
                log.warn("Could not delete {} (in use?); the next run tries again: {}", folder.path(name),
                        ex.toString());
            }
        }

        private void deleteIfEmpty(Folder folder, Path name) {
            try {
                folder.deleteFolder(name);
            }
            catch (DirectoryNotEmptyException | NoSuchFileException ex) {
                // still in use, or deleted by another app instance
            }
            catch (IOException ex) {
                log.warn("Could not delete the empty folder {}: {}", folder.path(name), ex.toString());
            }
        }
    }

    /** A folder being walked: through its open handle where the platform has one, else by path. */
    private interface Folder extends AutoCloseable {

        static Folder of(DirectoryStream<Path> entries, Path path) {
            return entries instanceof SecureDirectoryStream<Path> secure ? new HeldFolder(secure, path)
                    : new NamedFolder(entries, path);
        }

        Iterable<Path> entries();

        Path path(Path name);

        BasicFileAttributes attributes(Path name) throws IOException;

        Folder open(Path name) throws IOException;

        void delete(Path name) throws IOException;

        void deleteFolder(Path name) throws IOException;

        @Override
        void close() throws IOException;

        /** The status change time (Unix), null where the file system keeps none. */
        default FileTime changeTime(Path name) throws IOException {
            try {
                return (FileTime) Files.getAttribute(path(name), "unix:ctime", LinkOption.NOFOLLOW_LINKS);
            }
            catch (UnsupportedOperationException | IllegalArgumentException ex) {
                return null;
            }
        }
    }

    /** Every operation relative to the folder's open handle: a name never resolves through a link. */
    private record HeldFolder(SecureDirectoryStream<Path> handle, Path where) implements Folder {

        @Override
        public Iterable<Path> entries() {
            return handle;
        }

        @Override
        public Path path(Path name) {
            return where.resolve(name);
        }

        @Override
        public BasicFileAttributes attributes(Path name) throws IOException {
            return handle.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes();
        }

        @Override
        public Folder open(Path name) throws IOException {
            return new HeldFolder(handle.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS), path(name));
        }

        @Override
        public void delete(Path name) throws IOException {
            handle.deleteFile(name);
        }

        @Override
        public void deleteFolder(Path name) throws IOException {
            handle.deleteDirectory(name);
        }

        @Override
        public void close() throws IOException {
            handle.close();
        }
    }

    /** Where the platform has no folder handles (Windows): by path, links checked before each step. */
    private record NamedFolder(DirectoryStream<Path> entries, Path where) implements Folder {

        @Override
        public Path path(Path name) {
            return where.resolve(name);
        }

        @Override
        public BasicFileAttributes attributes(Path name) throws IOException {
            return Files.readAttributes(path(name), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public Folder open(Path name) throws IOException {
            Path sub = path(name);
            if (!Files.isDirectory(sub, LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(sub.toString());   // no longer a folder: swapped for a link meanwhile
            }
            return new NamedFolder(Files.newDirectoryStream(sub), sub);
        }

        @Override
        public void delete(Path name) throws IOException {
            Files.delete(path(name));   // a link itself, were it one now: never its target
        }

        @Override
        public void deleteFolder(Path name) throws IOException {
            Files.delete(path(name));
        }

        @Override
        public void close() throws IOException {
            entries.close();
        }
    }
}
