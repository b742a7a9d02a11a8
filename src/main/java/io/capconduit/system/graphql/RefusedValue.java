package io.capconduit.system.graphql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * A value PostgreSQL refused (SQLSTATE class 22: too long, out of range, a NUL byte) in the caller's words, never
 * the server's (which name SQL types, and for a date-time quote a value the caller never sent), naming the argument
 * that holds it by its path when one alone of the operation's argument values can be it. Two or more that could (two
 * over-long strings) name none: the refusal says what is wrong without guessing where.
 */
record RefusedValue(String field, String reason) {

    private static final Pattern LENGTH = Pattern.compile("\\((\\d+)\\)");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private static final Pattern PRECISION = Pattern.compile("precision (\\d+), scale (\\d+)");
    private static final Pattern INTEGER_TYPE = Pattern.compile("\\b(smallint|integer|bigint) out of range");
    /** The years PostgreSQL's timestamps hold: 4713 BC (year -4712) to 294276 AD. */
    private static final long FIRST_YEAR = -4712;
    private static final long LAST_YEAR = 294_276;
    private static final Instant FIRST_INSTANT = LocalDate.of((int) FIRST_YEAR, 1, 1).atStartOfDay()
            .toInstant(ZoneOffset.UTC);
    private static final Instant AFTER_LAST_INSTANT = LocalDate.of((int) LAST_YEAR + 1, 1, 1).atStartOfDay()
            .toInstant(ZoneOffset.UTC);

    /** The message: {@code input.name: must not hold a NUL character}, or the reason for no argument in particular. */
    String message() {
        return field != null ? field + ": " + reason : "A value among the arguments " + reason;
    }

    static RefusedValue of(SQLException sql, Map<String, Object> arguments) {
        ServerErrorMessage server = sql instanceof PSQLException pg ? pg.getServerErrorMessage() : null;
        String text = server != null && server.getMessage() != null ? server.getMessage() : "";
        String detail = server != null && server.getDetail() != null ? server.getDetail() : "";
        return switch (String.valueOf(sql.getSQLState())) {
            case "22001" -> {
                Matcher length = LENGTH.matcher(text);
                Integer max = length.find() ? Integer.valueOf(length.group(1)) : null;
                yield named(arguments, value -> value instanceof String s && max != null
                        && s.codePointCount(0, s.length()) > max,
                        max != null ? "must be at most " + max + " characters" : "is longer than the database holds");
            }
            case "22003" -> named(arguments, outOfRange(text, detail), "is out of the range the database holds");
            case "22008" -> named(arguments, RefusedValue::beyondTimestamps,
                    "is outside the dates the database holds (4713 BC to 294276 AD)");
            case "22021" -> named(arguments, value -> value instanceof String s && s.indexOf('\u0000') >= 0,
                    "must not hold a NUL character");
            case "22007", "22P02" -> named(arguments, quoted(text), "is not in a form the database reads");
            default -> new RefusedValue(null, "holds a character or value the database cannot store");
        };
    }

    /** The refusal naming the one argument value {@code suspect} holds for, or none. */
    private static RefusedValue named(Map<String, Object> arguments, Predicate<Object> suspect, String reason) {
        List<String> paths = new ArrayList<>();
        arguments.forEach((name, value) -> collect(name, value, suspect, paths));
        return new RefusedValue(paths.size() == 1 ? paths.get(0) : null, reason);
    }

    private static void collect(String path, Object value, Predicate<Object> suspect, List<String> paths) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((name, inner) -> collect(path + "." + name, inner, suspect, paths));
        }
        else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collect(path + "[" + i + "]", list.get(i), suspect, paths);
            }
        }
        else if (value != null && suspect.test(value)) {
            paths.add(path);
        }
    }

    /** The value the server quotes ({@code value "X" is out of range}), or the numbers past the type it names. */
    private static Predicate<Object> outOfRange(String text, String detail) {
        Matcher quoted = QUOTED.matcher(text);
        if (quoted.find()) {
            String value = quoted.group(1);
            return candidate -> String.valueOf(candidate).equals(value);
        }
        Matcher type = INTEGER_TYPE.matcher(text);
        if (type.find()) {
            int bits = switch (type.group(1)) {
                case "smallint" -> 15;
                case "integer" -> 31;
                default -> 63;
            };
            BigInteger limit = BigInteger.ONE.shiftLeft(bits);
            BigDecimal above = new BigDecimal(limit);
            BigDecimal lowest = above.negate();
            return candidate -> number(candidate, n -> n.compareTo(above) >= 0 || n.compareTo(lowest) < 0);
        }
        Matcher precision = PRECISION.matcher(detail);
        if (precision.find()) {
            BigDecimal limit = BigDecimal.TEN.pow(Integer.parseInt(precision.group(1))
                    - Integer.parseInt(precision.group(2)));
            return candidate -> number(candidate, n -> n.abs().compareTo(limit) >= 0);
        }
        return candidate -> false;
    }

    private static Predicate<Object> quoted(String text) {
        Matcher quoted = QUOTED.matcher(text);
        if (!quoted.find()) {
            return candidate -> false;
        }
        String value = quoted.group(1);
        return candidate -> String.valueOf(candidate).equals(value);
    }

    /** Whether the value is a number, or an id (a string of digits), that {@code beyond} holds for. */
    private static boolean number(Object value, Predicate<BigDecimal> beyond) {
        if (!(value instanceof Number) && !(value instanceof String)) {
            return false;
        }
        try {
            return beyond.test(new BigDecimal(String.valueOf(value).strip()));
        }
        catch (NumberFormatException ex) {
            return false;
        }
    }

    private static boolean beyondTimestamps(Object value) {
        Instant at = value instanceof Instant instant ? instant
                : value instanceof OffsetDateTime offset ? offset.toInstant() : null;
        if (at != null) {
            return at.isBefore(FIRST_INSTANT) || !at.isBefore(AFTER_LAST_INSTANT);
        }
        if (value instanceof TemporalAccessor temporal && temporal.isSupported(ChronoField.YEAR)) {
            long year = temporal.getLong(ChronoField.YEAR);
            return year < FIRST_YEAR || year > LAST_YEAR;
        }
        return false;
    }
}
