package io.capconduit.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

import io.capconduit.system.InvalidInputException;

/** The file types an export can take, with their media types. */
enum ExportFormat {

    XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    CSV("text/csv;charset=UTF-8");

    private final String mediaType;

    ExportFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    String mediaType() {
        return mediaType;
    }

    String extension() {
        return name().toLowerCase(Locale.ROOT);
    }

    SheetWriter open(OutputStream out) throws IOException {
        return this == XLSX ? new XlsxSheetWriter(out) : new CsvSheetWriter(out);
    }

    static ExportFormat of(String extension) {
        for (ExportFormat format : values()) {
            if (format.extension().equalsIgnoreCase(extension)) {
                return format;
            }
        }
        throw new InvalidInputException("format",
                "'" + InvalidInputException.shown(extension) + "' is not an export format: use xlsx or csv");
    }
}
