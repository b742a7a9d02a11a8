package io.capconduit.leads;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/** What the inbox reads from a file's name and attributes: partial uploads, settled files, names that fit. */
final class InboxFiles {

    private static final Set<String> PARTIAL_UPLOADS = Set.of(".filepart", ".part", ".partial", ".tmp", ".temp",
            ".crdownload", ".download");

    /**
     * The longest name (in UTF-8 bytes) an inbox file keeps: file systems allow 255, and the file gets a prefix
     * (an execution id or a time, up to 20 characters), maybe " (2)", and notes beside it add ".rejects.csv".
     */
    static final int MAX_NAME_BYTES = 200;

    private InboxFiles() {
    }

    /**
     * Names uploads use while they write (renamed once complete): WinSCP's {@code .filepart}, browsers' and
     * FTP clients' {@code .part}/{@code .partial}/{@code .crdownload}/{@code .download}, {@code .tmp}, hidden
     * files (rsync's temporary copies, .DS_Store) and Excel's lock files ({@code ~$leads.xlsx}).
     */
    static boolean isPartialUpload(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int dot = lower.lastIndexOf('.');
        return name.startsWith(".") || name.startsWith("~$")
                || dot >= 0 && PARTIAL_UPLOADS.contains(lower.substring(dot));
    }

    /**
     * Whether nothing wrote to the file since {@code settledBefore}. Its modification time does not say: a copy
     * that keeps the original's time (cp -p, scp -p, rsync -t, some FTP and SMB clients) may set it before the last
     * byte arrives, or set one in the future (a wrong source time) that would hold the file back for good. On a
     * Unix file system its status change time (ctime) does: it moves on every write and every time change, and no
     * program can set it. Elsewhere (Windows) the modification time is all there is.
     */
    static boolean isSettled(Path file, Instant settledBefore) throws IOException {
        Instant written;
        try {
            written = ((FileTime) Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS)).toInstant();
        }
        catch (UnsupportedOperationException | IllegalArgumentException ex) {
            written = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant();
        }
        return !written.isAfter(settledBefore);
    }

    /** Size and modification time: what changes while a file is still being written. */
    static String state(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        return attributes.size() + "@" + attributes.lastModifiedTime().toMillis();
    }

    /**
     * The name, or one cut to {@link #MAX_NAME_BYTES} (its end replaced by "~", its extension kept) so that it
     * still fits once prefixed: a name too long to move would stay in the inbox, failing every run.
     */
    static String fitting(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
        int room = MAX_NAME_BYTES - extension.getBytes(StandardCharsets.UTF_8).length - 1;
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < name.length() - extension.length(); ) {
            int codePoint = name.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > room) {
                break;
            }
            cut.appendCodePoint(codePoint);
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return cut + "~" + extension;
    }

    /** The name, or the first of "name (2)", "name (3)", ... (before its extension) not taken in the folder. */
    static String freeName(Path folder, String name) {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        String free = name;
        for (int n = 2; Files.exists(folder.resolve(free), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(folder.resolve(free + ".error.txt"), LinkOption.NOFOLLOW_LINKS); n++) {
            free = stem + " (" + n + ")" + extension;
        }
        return free;
    }

    /** Why the app cannot use the inbox folder, naming it and the setting; null when it can. */
    static String unusable(Path inbox) {
        Path folder = inbox.toAbsolutePath().normalize();
        String setting = " (capconduit.lead-import.inbox-folder)";
        if (!Files.exists(folder)) {
            return "The inbox folder " + folder + setting + " does not exist: create it, or mount the share it is on";
        }
        if (!Files.isDirectory(folder)) {
            return "The inbox folder " + folder + setting + " is not a folder";
        }
        if (!Files.isReadable(folder) || !Files.isWritable(folder) || !Files.isExecutable(folder)) {
            return "The app's user cannot read and write the inbox folder " + folder + setting + ": it moves every "
                    + "file it imports to processing/, then done/ or failed/ there";
        }
        return null;
    }
}
