package io.capconduit.leads;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import io.capconduit.jobs.FilePurge;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.xssf.usermodel.XSSFRelation;
import org.apache.poi.xssf.usermodel.XSSFRichTextString;

/**
 * A workbook's shared strings table, kept in a temporary file instead of the heap. Excel stores every text cell
 * of a sheet there, once per distinct text: a million leads with their own names, emails and addresses make a
 * table of millions of strings, a few hundred MB as Java strings (POI's read-only table keeps them all). Here
 * the heap holds one offset (4 bytes) per string; the text is read from the memory-mapped file when a cell asks for it.
 * <p>
 * Same text as POI's {@code ReadOnlySharedStringsTable}: the {@code <t>} runs of each {@code <si>} joined,
 * phonetic runs ({@code <rPh>}) left out, Excel's {@code _xHHHH_} escapes decoded. A table with a document type
 * declaration is refused, as the sheet is.
 */
final class SharedStringsFile implements AutoCloseable {

    private static final String PREFIX = "capconduit-shared-strings-";
    private static final String SPREADSHEETML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    /**
     * The most text one item's XML can take for a cell Excel writes: 32,767 characters, each at most seven as an
     * {@code _xHHHH_} escape. Beyond it the item is no cell's text, and held whole it could fill the heap.
     */
    private static final int MAX_ITEM_XML = 7 * 32_767;

    private final Path file;
    private final int[] offsets;   // string i is bytes [offsets[i], offsets[i + 1]) of the file
    private final int count;
    private final MappedByteBuffer text;

    private SharedStringsFile(Path file, int[] offsets, int count) throws IOException {
        this.file = file;
        this.offsets = offsets;
        this.count = count;
        int size = offsets[count];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            this.text = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
    }

    /** Reads the package's shared strings table (none: an empty table) into a temporary file. */
    static SharedStringsFile of(OPCPackage pkg, XMLInputFactory parsers) throws IOException, XMLStreamException {
        List<PackagePart> parts = pkg.getPartsByContentType(XSSFRelation.SHARED_STRINGS.getContentType());
        if (parts.isEmpty()) {
            return fromXml(null, parsers);
        }
        try (InputStream in = parts.get(0).getInputStream()) {
            return fromXml(in, parsers);
        }
    }

    /** Reads a shared strings table's XML ({@code sharedStrings.xml}; null: an empty table). */
    static SharedStringsFile fromXml(InputStream xml, XMLInputFactory parsers) throws IOException, XMLStreamException {
        Path file;
        try {
            file = Files.createTempFile(PREFIX, ".txt");
        }
        catch (IOException ex) {
            throw ourFailure(ex);
        }
        try {
            PushbackInputStream in = xml == null ? null : new PushbackInputStream(xml, 1);
            int first = in == null ? -1 : in.read();
            if (first == -1) {   // no table, or an empty part: no strings, as POI reads it
                return new SharedStringsFile(file, new int[1], 0);
            }
            in.unread(first);
            try (OutputStream out = new BufferedOutputStream(new OurFile(file), 1 << 16)) {
                return read(file, parsers.createXMLStreamReader(in), out);
            }
        }
        catch (IOException | XMLStreamException | RuntimeException ex) {
            Files.deleteIfExists(file);
            throw ex;
        }
    }

    /**
     * A failure of the temporary file (a full disk) is ours, not the workbook's: it must not be reported as a
     * damaged file.
     */
    private static UncheckedIOException ourFailure(IOException ex) {
        return new UncheckedIOException("Could not keep the workbook's shared strings in a temporary file: "
                + ex.getMessage(), ex);
    }

    /** The temporary file's output, whose failures are {@link #ourFailure}s. */
    private static final class OurFile extends FilterOutputStream {

        OurFile(Path file) {
            super(open(file));
        }

        private static OutputStream open(Path file) {
            try {
                return Files.newOutputStream(file);
            }
            catch (IOException ex) {
                throw ourFailure(ex);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            try {
                out.write(bytes, offset, length);
            }
            catch (IOException ex) {
                throw ourFailure(ex);
            }
        }

        @Override
        public void flush() {
            try {
                out.flush();
            }
            catch (IOException ex) {
                throw ourFailure(ex);
            }
        }

        @Override
        public void close() {
            try {
                out.close();
            }
            catch (IOException ex) {
                throw ourFailure(ex);
            }
        }
    }

    private static SharedStringsFile read(Path file, XMLStreamReader xml, OutputStream out)
            throws IOException, XMLStreamException {
        int[] offsets = new int[1024];
        int count = 0;
        long written = 0;
        StringBuilder item = new StringBuilder();
        boolean inText = false;
        boolean inPhonetic = false;
        try {
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_REFERENCE) {
                    throw new XMLStreamException("a shared strings table never declares a document type or entities");
                }
                if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                        || event == XMLStreamConstants.SPACE) {
                    if (inText && !inPhonetic) {
                        if (item.length() + xml.getTextLength() > MAX_ITEM_XML) {
                            throw new LeadImportException("The workbook's shared strings hold a text longer than the "
                                    + "32,767 characters Excel keeps in a cell: not a lead spreadsheet. Save it again "
                                    + "in Excel, or upload it as csv");
                        }
                        item.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                    }
                    continue;
                }
                if ((event != XMLStreamConstants.START_ELEMENT && event != XMLStreamConstants.END_ELEMENT)
                        || !SPREADSHEETML.equals(xml.getNamespaceURI())) {
                    continue;
                }
                boolean start = event == XMLStreamConstants.START_ELEMENT;
                switch (xml.getLocalName()) {
                    case "si" -> {
                        if (start) {
                            item.setLength(0);
                        }
                        else {
                            byte[] bytes = decoded(item).getBytes(StandardCharsets.UTF_8);
                            out.write(bytes);
                            written += bytes.length;
                            if (written > Integer.MAX_VALUE) {
                                throw new LeadImportException("The workbook's shared strings exceed 2 GB: split the "
                                        + "file, or upload it as csv");
                            }
                            count++;
                            if (count == offsets.length) {
                                offsets = Arrays.copyOf(offsets, offsets.length * 2);
                            }
                            offsets[count] = (int) written;
                        }
                    }
                    case "t" -> inText = start;
                    case "rPh" -> inPhonetic = start;
                    default -> {
                    }
                }
            }
        }
        finally {
            xml.close();
        }
        out.flush();
        return new SharedStringsFile(file, offsets, count);
    }

    /** Excel writes characters XML cannot hold as {@code _xHHHH_}; POI's rich text decodes them. */
    private static String decoded(StringBuilder item) {
        String raw = item.toString();
        return raw.indexOf("_x") < 0 ? raw : new XSSFRichTextString(raw).getString();
    }

    int size() {
        return count;
    }

    Path path() {
        return file;
    }

    /** The text of shared string {@code index} (a cell's {@code <v>} when its type is {@code s}). */
    String get(int index) {
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("a cell refers to shared string " + index + " of " + count);
        }
        int from = offsets[index];
        byte[] bytes = new byte[offsets[index + 1] - from];
        text.get(from, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Unmaps the file (so its pages go now, not whenever the buffer is collected, and the file can be deleted on
     * any system), then deletes it. No string may be read after this.
     */
    @Override
    public void close() throws IOException {
        unmap(text);
        Files.deleteIfExists(file);
    }

    /** Java 17 has no public unmap; this is the JDK's own cleaner, as memory-mapping libraries call it. */
    private static void unmap(MappedByteBuffer buffer) {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            unsafeClass.getMethod("invokeCleaner", ByteBuffer.class).invoke(theUnsafe.get(null), buffer);
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            // left to the garbage collector
        }
    }

    /**
     * Deletes the temporary files of imports a killed JVM never closed (they hold names, emails and addresses),
     * those unchanged for {@code age}, at most {@code limit}: an import reads its file for seconds, so a younger one
     * may be in use by another instance on this host. Only this class's files go: the folder is everyone's. Returns
     * how many it deleted.
     */
    static int deleteLeftovers(Path folder, Instant now, Duration age, int limit) throws IOException {
        return FilePurge.files(folder, name -> name.startsWith(PREFIX) && name.endsWith(".txt"))
                .deleteChangedBefore(now.minus(age), limit);
    }
}
