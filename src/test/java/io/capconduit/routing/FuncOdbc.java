package io.capconduit.routing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

/**
 * Runs the functions of {@code asterisk-conf/func_odbc.conf} the way Asterisk's func_odbc does: the statement
 * text with {@code ${SQL_ESC(${ARGn})}} / {@code ${ARGn}} substituted, sent as one plain statement in
 * autocommit; a normal function returns its first row, a {@code mode=multirow} one up to {@code rowlimit}
 * rows for {@code ODBC_FETCH}. SQL NULL reads as an empty string, as in the dialplan.
 */
public final class FuncOdbc {

    static final Path CONF_DIR = Path.of("asterisk-conf");

    private static final Pattern ESCAPED_ARG = Pattern.compile("\\$\\{SQL_ESC\\(\\$\\{(ARG|VAL)(\\d+)}\\)}");
    private static final Pattern BARE_ARG = Pattern.compile("\\$\\{(ARG|VAL)(\\d+)}");

    private final Map<String, Map<String, String>> functions;
    private final DataSource dataSource;

    public FuncOdbc(DataSource dataSource) {
        this.dataSource = dataSource;
        this.functions = parse(CONF_DIR.resolve("func_odbc.conf"));
    }

    /** The sections of func_odbc.conf except [general], keyed by dialplan name (prefix, default ODBC_). */
    static Map<String, Map<String, String>> parse(Path file) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        try {
            for (String raw : Files.readAllLines(file)) {
                String line = stripComment(raw).strip();
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("[") && line.endsWith("]")) {
                    String name = line.substring(1, line.length() - 1);
                    current = new LinkedHashMap<>();
                    if (!name.equals("general")) {
                        sections.put(name, current);
                    }
                    continue;
                }
                int eq = line.indexOf('=');
                if (current != null && eq > 0) {
                    current.put(line.substring(0, eq).strip(), line.substring(eq + 1).replaceFirst("^>", "").strip());
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Map<String, Map<String, String>> byDialplanName = new LinkedHashMap<>();
        sections.forEach((name, keys) -> byDialplanName.put(keys.getOrDefault("prefix", "ODBC") + "_" + name, keys));
        return byDialplanName;
    }

    /** Asterisk's config parser: ';' starts a comment unless escaped as '\;'. */
    static String stripComment(String line) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == ';') {
                out.append(';');
                i++;
            }
            else if (c == ';') {
                break;
            }
            else {
                out.append(c);
            }
        }
        return out.toString();
    }

    Map<String, Map<String, String>> functions() {
        return functions;
    }

    /** SQL_ESC(): doubles every single quote. */
    static String sqlEsc(String value) {
        return value.replace("'", "''");
    }

    /** The statement func_odbc would send for {@code function(args)}. */
    String sql(String function, String... args) {
        Map<String, String> definition = definition(function);
        String sql = substitute(ESCAPED_ARG, definition.get("readsql"), args, true);
        sql = substitute(BARE_ARG, sql, args, false);
        if (sql.contains("${")) {
            throw new IllegalStateException(function + ": unsupported expression left in " + sql);
        }
        return sql;
    }

    private static String substitute(Pattern pattern, String template, String[] args, boolean escape) {
        Matcher matcher = pattern.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            int n = Integer.parseInt(matcher.group(2));
            String value = n <= args.length && args[n - 1] != null ? args[n - 1] : "";
            matcher.appendReplacement(out, Matcher.quoteReplacement(escape ? sqlEsc(value) : value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** A normal function: its first row (empty when the query returned none, ODBCROWS=0). */
    public List<String> read(String function, String... args) {
        if ("multirow".equals(definition(function).get("mode"))) {
            throw new IllegalArgumentException(function + " is multirow: use fetchAll");
        }
        List<List<String>> rows = execute(sql(function, args), 1);
        return rows.isEmpty() ? List.of() : rows.get(0);
    }

    /** The single value of a one-column function. */
    public String value(String function, String... args) {
        List<String> row = read(function, args);
        return row.isEmpty() ? "" : row.get(0);
    }

    /** A multirow function: every row ODBC_FETCH would hand out, in order, up to rowlimit. */
    public List<List<String>> fetchAll(String function, String... args) {
        Map<String, String> definition = definition(function);
        int limit = Integer.parseInt(definition.getOrDefault("rowlimit", String.valueOf(Integer.MAX_VALUE)));
        return execute(sql(function, args), limit);
    }

    private Map<String, String> definition(String function) {
        Map<String, String> definition = functions.get(function);
        if (definition == null) {
            throw new IllegalArgumentException(function + " is not defined in func_odbc.conf");
        }
        return definition;
    }

    private List<List<String>> execute(String sql, int limit) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery(sql)) {
                int columns = rs.getMetaData().getColumnCount();
                while (rows.size() < limit && rs.next()) {
                    List<String> row = new ArrayList<>(columns);
                    for (int c = 1; c <= columns; c++) {
                        String value = rs.getString(c);
                        row.add(value == null ? "" : value);
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
        catch (SQLException ex) {
            throw new IllegalStateException("func_odbc statement failed: " + sql, ex);
        }
    }

    /** FILTER(allowed-chars,string): ranges a-z, '\-' for a literal dash. */
    static String filter(String allowed, String value) {
        StringBuilder set = new StringBuilder();
        for (int i = 0; i < allowed.length(); i++) {
            char c = allowed.charAt(i);
            if (c == '\\' && i + 1 < allowed.length()) {
                set.append(allowed.charAt(++i));
            }
            else if (i + 2 < allowed.length() && allowed.charAt(i + 1) == '-') {
                for (char r = c; r <= allowed.charAt(i + 2); r++) {
                    set.append(r);
                }
                i += 2;
            }
            else {
                set.append(c);
            }
        }
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (set.indexOf(String.valueOf(c)) >= 0) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
