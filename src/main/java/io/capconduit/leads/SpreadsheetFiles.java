package io.capconduit.leads;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.poifs.filesystem.FileMagic;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/** Decides from the content (not the name) whether a file is an xlsx workbook, a csv, or something refused. */
final class SpreadsheetFiles {

    static {
        // POI's zip-bomb guards, stated rather than left to defaults: an entry may expand at most 100 times
        // and to at most 2 GiB; a lead sheet of a million rows stays far below both.
        ZipSecureFile.setMinInflateRatio(0.01);
        ZipSecureFile.setMaxEntrySize(2L << 30);
    }

    private SpreadsheetFiles() {
    }

    static RowSource open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new LeadImportException("The file " + file.getFileName() + " does not exist");
        }
        if (Files.size(file) == 0) {
            throw new LeadImportException("The file is empty");
        }
        FileMagic magic = FileMagic.valueOf(file.toFile());
        return switch (magic) {
            case OOXML -> new XlsxRowSource(file);
            case OLE2 -> throw ole2(file);
            // a csv may start with these few bytes too ("BMW_Customer,Phone" reads as a bitmap): text is a csv
            case UNKNOWN, BMP, TIFF, WMF -> {
                if (isUtf16(file)) {
                    throw new LeadImportException("The file is UTF-16 text (Excel's \"Unicode Text\"), not a csv in "
                            + "UTF-8: save it as xlsx, or as \"CSV UTF-8\"");
                }
                if (looksBinary(file)) {
                    throw new LeadImportException(magic == FileMagic.UNKNOWN
                            ? "The file is not a spreadsheet: upload an xlsx workbook or a csv"
                            : "The file is " + describe(magic) + ", not a spreadsheet: upload an xlsx workbook or a csv");
                }
                yield new CsvRowSource(file);
            }
            default -> throw new LeadImportException("The file is " + describe(magic) + ", not a spreadsheet: "
                    + "upload an xlsx workbook or a csv");
        };
    }

    private static LeadImportException ole2(Path file) throws IOException {
        try (POIFSFileSystem fs = new POIFSFileSystem(file.toFile(), true)) {
            if (fs.getRoot().hasEntry("EncryptionInfo")) {
                return new LeadImportException("The workbook is encrypted (password-protected): remove the password "
                        + "in Excel (File > Info > Protect Workbook) and upload it again");
            }
        }
        catch (IOException | RuntimeException ex) {
            return new LeadImportException("The file is not a spreadsheet: upload an xlsx workbook or a csv", ex);
        }
        return new LeadImportException("The file is an Excel 97-2003 (.xls) workbook: save it as xlsx or csv");
    }

    /** Whether the file starts with a UTF-16 byte order mark (little- or big-endian), as Excel's Unicode Text does. */
    private static boolean isUtf16(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(2);
        }
        return head.length == 2 && (head[0] == (byte) 0xFF && head[1] == (byte) 0xFE
                || head[0] == (byte) 0xFE && head[1] == (byte) 0xFF);
    }

    private static boolean looksBinary(Path file) throws IOException {
        byte[] head = new byte[8192];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        }
        for (int i = 0; i < read; i++) {
            if (head[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static String describe(FileMagic magic) {
        return switch (magic) {
            case PDF -> "a PDF document";
            case HTML -> "an HTML page";
            case XML -> "an XML document";
            case JPEG, GIF, PNG, TIFF, BMP, WMF, EMF -> "an image";
            default -> "a " + magic.name() + " file";
        };
    }
}
