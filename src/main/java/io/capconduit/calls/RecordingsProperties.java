package io.capconduit.calls;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Recordings' settings ({@code capconduit.recordings.*}).
 *
 * @param folder where the Asterisk servers' recordings are reachable from the app: a mount of their monitor spool
 * ({@code /var/spool/asterisk/monitor}), where MixMonitor writes the file names the dialplan stamps in
 * {@code CDR(recording_file)}; read only, never written
 */
@ConfigurationProperties("capconduit.recordings")
public record RecordingsProperties(@DefaultValue("./data/recordings") Path folder) {
}
