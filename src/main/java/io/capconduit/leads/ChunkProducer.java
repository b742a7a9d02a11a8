package io.capconduit.leads;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The parsing half of an import, on a thread of its own: reads the file, skips the rows an earlier run
 * already committed, converts the rest and hands them over in chunks of COPY text. The queue is short, so at
 * most a few chunks wait in memory while the database takes the previous one.
 */
final class ChunkProducer implements Runnable {

    /**
     * One chunk of rows ready for COPY; {@code failure} set instead when the file cannot be read on: a
     * {@link LeadImportException} when the file is at fault, another exception when the server is.
     */
    record Chunk(byte[] stage, byte[] rejects, int read, int staged, int rejected, int lastRow, boolean last,
            RuntimeException failure) {
    }

    private final Path file;
    private final String mapping;
    private final String region;
    private final long jobInstanceId;
    private final int resumeAfterRow;
    private final int chunkSize;
    private final PhoneNumbers phones;
    private final boolean phoneOnly;
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(2);
    private volatile boolean stopped;
    private volatile List<String> sheets = List.of();

    private LeadRowConverter converter;
    private final StringBuilder stage = new StringBuilder(1 << 20);
    private final StringBuilder rejects = new StringBuilder();
    private int read;
    private int staged;
    private int rejected;
    private int lastRow;
    private boolean sawHeader;

    ChunkProducer(Path file, String mapping, String region, long jobInstanceId, int resumeAfterRow, int chunkSize,
            PhoneNumbers phones, boolean phoneOnly) {
        this.file = file;
        this.mapping = mapping;
        this.region = region;
        this.jobInstanceId = jobInstanceId;
        this.resumeAfterRow = resumeAfterRow;
        this.chunkSize = chunkSize;
        this.phones = phones;
        this.phoneOnly = phoneOnly;
    }

    @Override
    public void run() {
        try {
            RowSource source = SpreadsheetFiles.open(file);
            source.read(this::row);
            sheets = source.sheets();
            if (!sawHeader) {
                throw new LeadImportException("The file has no rows at all, not even a header row");
            }
            if (lastRow == 0 && resumeAfterRow == 0) {
                throw new LeadImportException("The file has a header row but no data rows");
            }
            emit(true, null);
        }
        catch (RowHandler.Stop ex) {
            // the step ended: nobody waits for more chunks
        }
        catch (LeadImportException ex) {
            emit(true, ex);
        }
        catch (UncheckedIOException | OutOfMemoryError ex) {
            // the server's fault (the shared strings' temporary file on a full disk, the heap), not the file's: an
            // internal error, so the staging table stays, the file is not called bad, and a restart continues
            emit(true, new IllegalStateException("Reading the file failed on the server: " + ex, ex));
        }
        catch (Exception ex) {
            emit(true, new LeadImportException("The file could not be read: " + ex.getMessage(), ex));
        }
    }

    /** The next chunk, waiting for the parser; the parser's failure arrives as a chunk too. */
    Chunk take() throws InterruptedException {
        return queue.take();
    }

    /** Once the last chunk was taken: the sheet read and the visible sheets that were not (none for a csv). */
    List<String> sheets() {
        return sheets;
    }

    void stop() {
        stopped = true;
        queue.clear();
    }

    private void row(int rowNumber, String[] values, byte[] kinds, int count) {
        if (stopped) {
            throw new RowHandler.Stop();
        }
        if (!sawHeader) {
            if (LeadRowConverter.isBlank(values, count)) {
                return;
            }
            sawHeader = true;
            converter = new LeadRowConverter(ColumnMapping.of(values, count, mapping), phones, region, jobInstanceId,
                    phoneOnly);
            return;
        }
        if (rowNumber <= resumeAfterRow) {
            return;
        }
        int result = converter.convert(rowNumber, values, kinds, count, stage, rejects);
        if (result == LeadRowConverter.BLANK) {
            return;
        }
        read++;
        lastRow = rowNumber;
        if (result == LeadRowConverter.STAGED) {
            staged++;
        }
        else {
            rejected++;
        }
        if (read >= chunkSize) {
            emit(false, null);
        }
    }

    private void emit(boolean last, RuntimeException failure) {
        Chunk chunk = new Chunk(bytes(stage), bytes(rejects), read, staged, rejected,
                lastRow == 0 ? resumeAfterRow : lastRow, last, failure);
        stage.setLength(0);
        rejects.setLength(0);
        read = 0;
        staged = 0;
        rejected = 0;
        try {
            while (!stopped && !queue.offer(chunk, 200, TimeUnit.MILLISECONDS)) {
                // the writer is busy with the previous chunk
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
        if (stopped && !last) {
            throw new RowHandler.Stop();
        }
    }

    private static byte[] bytes(StringBuilder text) {
        return text.isEmpty() ? new byte[0] : text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
