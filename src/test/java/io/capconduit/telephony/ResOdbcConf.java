package io.capconduit.telephony;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The res_odbc connection classes of {@code asterisk-conf/} and who uses which: {@code res_odbc.conf}'s classes
 * and their options, the class {@code extconfig.conf} maps each realtime family to, the class
 * {@code cdr_adaptive_odbc.conf} writes CDRs through. Read as Asterisk's config parser reads them: {@code ;}
 * starts a comment unless written {@code \;}, {@code =} and {@code =>} alike.
 */
public final class ResOdbcConf {

    private static final Path DIR = Path.of("asterisk-conf");

    private ResOdbcConf() {
    }

    /** Class name -> its options, every section of res_odbc.conf but [ENV]. */
    public static Map<String, Map<String, String>> classes() {
        Map<String, Map<String, String>> classes = sections("res_odbc.conf");
        classes.remove("ENV");
        return classes;
    }

    /**
     * res_odbc's backslash_is_escape of a class (default yes). res_config_odbc appends {@code ESCAPE '\\'} to its
     * LIKE lookups when it is no; cdr_adaptive_odbc doubles the backslashes of the values it writes when it is yes.
     */
    public static boolean backslashIsEscape(String connectionClass) {
        Map<String, String> options = classes().get(connectionClass);
        if (options == null) {
            throw new IllegalArgumentException("no class " + connectionClass + " in res_odbc.conf");
        }
        String value = options.getOrDefault("backslash_is_escape", "yes");
        return value.matches("(?i)yes|true|y|t|1|on");
    }

    /** The class and table extconfig.conf maps a realtime family to ({@code family => odbc,class[,table]}). */
    public static String[] realtimeClassAndTable(String family) {
        String mapping = sections("extconfig.conf").getOrDefault("settings", Map.of()).get(family);
        if (mapping == null) {
            throw new IllegalArgumentException("no realtime mapping of " + family + " in extconfig.conf");
        }
        String[] parts = mapping.split(",");
        if (!parts[0].strip().equals("odbc") || parts.length < 2) {
            throw new IllegalStateException(family + " is not mapped to an ODBC class: " + mapping);
        }
        return new String[] {parts[1].strip(), parts.length > 2 ? parts[2].strip() : family};
    }

    /** The class cdr_adaptive_odbc.conf writes CDRs through (its one section's {@code connection}). */
    public static String cdrClass() {
        return sections("cdr_adaptive_odbc.conf").values().stream().map(options -> options.get("connection"))
                .reduce((a, b) -> {
                    throw new IllegalStateException("more than one cdr_adaptive_odbc section");
                }).orElseThrow();
    }

    /**
     * Every class a reader connects through: extconfig.conf's realtime families, func_odbc.conf's dsn, readhandle
     * and writehandle (up to five each, comma-separated), cdr_adaptive_odbc.conf's connection.
     */
    public static Set<String> usedClasses() {
        Set<String> used = new TreeSet<>();
        sections("extconfig.conf").getOrDefault("settings", Map.of()).keySet()
                .forEach(family -> used.add(realtimeClassAndTable(family)[0]));
        sections("func_odbc.conf").forEach((name, options) -> {
            for (String key : List.of("dsn", "readhandle", "writehandle")) {
                if (options.containsKey(key)) {
                    Arrays.stream(options.get(key).split(",")).map(String::strip).forEach(used::add);
                }
            }
        });
        used.add(cdrClass());
        return used;
    }

    static Map<String, Map<String, String>> sections(String file) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        try {
            for (String raw : Files.readAllLines(DIR.resolve(file))) {
                String line = raw.replaceFirst("(?<!\\\\);.*$", "").replace("\\;", ";").strip();
                if (line.startsWith("[") && line.endsWith("]")) {
                    current = new LinkedHashMap<>();
                    sections.put(line.substring(1, line.length() - 1), current);
                }
                else if (current != null && line.indexOf('=') > 0) {
                    int eq = line.indexOf('=');
                    current.put(line.substring(0, eq).strip(), line.substring(eq + 1).replaceFirst("^>", "").strip());
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return sections;
    }
}
