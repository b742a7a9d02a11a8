package io.capconduit.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Set;

import io.capconduit.system.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Writes one workbook per seller for one day in the seller's own time zone: sheets by campaign, by client and
 * by DID. Written to a temporary file and moved into place, so a rerun or restart simply replaces it. A seller
 * whose stored zone is not one the reports read (saved before zones were checked) gets its day in UTC, with a
 * warning, rather than stopping the report of every seller after it. On POSIX file systems a workbook is
 * readable by the application's group too ({@code rw-r-----}), for whoever hands the files on (a mailer, a share).
 */
class DailyReportWriter implements ItemWriter<ReportSeller> {

    private static final Logger log = LoggerFactory.getLogger(DailyReportWriter.class);
    /** A temporary file is created owner-only whatever the umask, and the move keeps its mode. */
    private static final Set<PosixFilePermission> WORKBOOK_PERMISSIONS = PosixFilePermissions.fromString("rw-r-----");

    private final CallReports reports;
    private final LocalDate day;
    private final Path folder;

    DailyReportWriter(CallReports reports, LocalDate day, Path folder) {
        this.reports = reports;
        this.day = day;
        this.folder = folder;
    }

    @Override
    public void write(Chunk<? extends ReportSeller> sellers) throws IOException {
        Path dayFolder = Files.createDirectories(folder.resolve(day.toString()));
        for (ReportSeller seller : sellers) {
            Path target = dayFolder.resolve(fileName(seller));
            Path partial = Files.createTempFile(dayFolder, ".report-", ".xlsx.part");
            try {
                try (OutputStream out = Files.newOutputStream(partial); SheetWriter sheets = new XlsxSheetWriter(out)) {
                    for (CallReportBy by : new CallReportBy[] {CallReportBy.CAMPAIGN, CallReportBy.CLIENT, CallReportBy.DID}) {
                        CallReport report = reports.compute(CallReportRequest.of(day, day, zoneOf(seller),
                                CallReportPeriod.DAY, by, seller.id()));
                        ReportSheets.writeReport(report, "By " + by.name().toLowerCase(Locale.ROOT), sheets);
                    }
                }
                if (partial.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(partial, WORKBOOK_PERMISSIONS);
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            finally {
                Files.deleteIfExists(partial);
            }
        }
    }

    private static String zoneOf(ReportSeller seller) {
        try {
            return CallReportRequest.parseZone(seller.timeZone()).getId();
        }
        catch (InvalidInputException ex) {
            log.warn("Seller {} has the time zone '{}', which is not an IANA zone ({}): its daily report is for the "
                    + "day in UTC", seller.id(), seller.timeZone(), ex.getMessage());
            return "UTC";
        }
    }

    /** e.g. seller-12-acme-leads.xlsx: the id keeps names unique, the slug keeps them readable. */
    static String fileName(ReportSeller seller) {
        String slug = seller.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return "seller-" + seller.id() + (slug.isEmpty() ? "" : "-" + slug) + ".xlsx";
    }
}
