package io.capconduit.system;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedPostgresServerTests {

    @TempDir
    Path dataDir;

    @Test
    void restartsOnTheSameDataFolderAndKeepsTheData() throws Exception {
        EmbeddedDatabaseProperties properties = properties(0);
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(properties)) {
            execute(server, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
        }
        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(properties);
                Connection c = connect(again);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void aPortInUseNamesThePortAndTheSettingToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(properties(port)))
                    .isInstanceOf(EmbeddedPostgresServer.EmbeddedDatabaseException.class)
                    .hasMessageContaining("Port " + port + " is already in use")
                    .hasMessageContaining("capconduit.embedded-db.port")
                    .hasMessageContaining("spring.datasource.url");
        }
    }

    private EmbeddedDatabaseProperties properties(int port) {
        return new EmbeddedDatabaseProperties(port, dataDir, "capconduit", "capconduit", "s3cret'pw", false);
    }

    private static Connection connect(EmbeddedPostgresServer server) throws Exception {
        return DriverManager.getConnection(server.jdbcUrl(), "capconduit", "s3cret'pw");
    }

    private static void execute(EmbeddedPostgresServer server, String sql) throws Exception {
        try (Connection c = connect(server); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
