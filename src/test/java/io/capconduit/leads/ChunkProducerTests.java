package io.capconduit.leads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Who is at fault when the parsing thread fails: the file (refused, staging dropped) or the server (restartable). */
class ChunkProducerTests {

    @TempDir
    Path folder;

    @Test
    void aFullDiskOrHeapIsTheServersFailureNotAVerdictOnTheFile() throws Exception {
        Path file = Files.writeString(folder.resolve("leads.csv"), "phone\n2015550123\n");
        for (Throwable serverFailure : new Throwable[] { new UncheckedIOException("Could not keep the workbook's "
                + "shared strings in a temporary file", new IOException("No space left on device")),
            new OutOfMemoryError("Java heap space") }) {
            ChunkProducer producer = new ChunkProducer(file, null, "US", 1, 0, 10, failingWith(serverFailure), false);

            producer.run();

            // a LeadImportException would drop the staging table and tell the sender the file is bad
            assertThat(producer.take().failure()).isNotInstanceOf(LeadImportException.class)
                    .hasMessageStartingWith("Reading the file failed on the server").hasCause(serverFailure);
        }
    }

    @Test
    void aFileThatCannotBeReadIsRefused() throws Exception {
        Path file = Files.writeString(folder.resolve("leads.csv"), "phone\n\"2015550123\n");
        ChunkProducer producer = new ChunkProducer(file, null, "US", 1, 0, 10, new PhoneNumbers(), false);

        producer.run();

        assertThat(producer.take().failure()).isInstanceOf(LeadImportException.class)
                .hasMessage("Row 2 opens a quoted cell that never closes");
    }

    private static PhoneNumbers failingWith(Throwable failure) {
        return new PhoneNumbers() {
            @Override
            Parsed parse(String raw, byte kind, String region) {
                if (failure instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) failure;
            }
        };
    }
}
