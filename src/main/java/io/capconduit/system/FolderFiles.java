package io.capconduit.system;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A file named by text that must not lead out of one folder: a caller's (a server file to import) or data (a
 * recording's name from a CDR). One check for every such name, so none of them learns a way out the others refuse.
 */
public final class FolderFiles {

    private FolderFiles() {
    }

    /**
     * The file {@code name} names inside {@code folder} (normalised), or null when it lies outside: an absolute name,
     * one that climbs out with {@code ..}, the folder itself, or one whose real path (every symbolic link on the way
     * followed) leaves the folder's real path. A name of nothing that exists (a dangling link too) is returned: it
     * lies inside as far as can be told, and the caller finds it missing.
     *
     * @throws InvalidPathException a name that is no path (a NUL in it)
     * @throws IOException the real path could not be read (no permission on a folder on the way)
     */
    public static Path inside(Path folder, String name) throws IOException {
        Path base = folder.toAbsolutePath().normalize();
        Path file = base.resolve(name).normalize();
        if (!file.startsWith(base) || file.equals(base)) {
            return null;
        }
        Path real;
        try {
            real = file.toRealPath();
        }
        catch (NoSuchFileException missing) {
            return file;
        }
        return real.startsWith(base.toRealPath()) ? file : null;
    }
}
