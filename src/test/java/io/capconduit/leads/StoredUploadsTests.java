package io.capconduit.leads;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An upload cut off mid-way (the client went away) leaves no part of its personal data in the upload folder. */
class StoredUploadsTests {

    @TempDir
    Path folder;

    @Test
    void anUploadCutOffMidwayLeavesNoPartialFile() throws IOException {
        LeadImportProperties properties = new LeadImportProperties(folder.resolve("uploads"), folder, folder, 100, 1,
                10, "US", 1, 100);
        StoredUploads uploads = new StoredUploads(properties, null);
        InputStream cutOff = new SequenceInputStream(
                new ByteArrayInputStream("phone,name\n2015550101,Ada Lovelace\n".getBytes(StandardCharsets.UTF_8)),
                new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("connection reset");
                    }
                });

        assertThatThrownBy(() -> uploads.store("leads.csv", cutOff)).hasMessage("connection reset");

        try (Stream<Path> left = Files.walk(properties.uploadFolder())) {
            assertThat(left.filter(Files::isRegularFile)).isEmpty();
        }
    }
}
