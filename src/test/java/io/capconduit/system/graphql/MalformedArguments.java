package io.capconduit.system.graphql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.UnExecutableSchemaGenerator;

/**
 * Malformed values for every argument of the API (and every field of its input objects, every list's element),
 * generated from the schema files in {@code graphql-schema/}: each a one-field operation whose other required
 * arguments hold harmless values (ids of nothing, a plain word), sent through variables named after the arguments.
 * A value is either refused by its type or format whatever the field means ({@code mustRefuse}: an id that is no
 * number, an Int past 32 bits, a date that does not exist, null for a non-null), or one some field may take (a
 * negative number, an empty list, a 100,000-character string): that one may succeed, but never fail unclassified.
 */
final class MalformedArguments {

    /** No object of any kind has this id: the other arguments point at nothing, so no case changes anything. */
    static final String NO_SUCH_ID = "987654321987";

    private static final String HUGE = "x".repeat(100_000);

    /** One step of a path: the argument's name first, then {@code .field} or {@code [index]}. */
    private static final Pattern PATH_STEP = Pattern.compile("\\.?(?<field>[_A-Za-z][_0-9A-Za-z]*)|\\[(?<index>\\d+)]");

    /** A secret no answer may quote, whatever is wrong with it. */
    static final String SECRET = "Sup3r-s3cret-v4lue\n";

    /** One request: {@code argument} is the path of the malformed value ({@code input.hours[0].openTime}). */
    record Case(String operation, String field, String argument, String kind, boolean mustRefuse, String document,
            Map<String, Object> variables, Set<String> names) {

        /** The top-level argument the malformed value sits in: what a refusal must name. */
        String root() {
            return argument.split("[.\\[]", 2)[0];
        }

        @Override
        public String toString() {
            return operation + " " + field + "(" + argument + ": " + kind + ")";
        }
    }

    /**
     * A malformed value at {@code path}; {@code names} what a refusal may name for it: the argument, the input types
     * it sits in and their fields (a refusal of the input naming a field the value left out is a fair answer too).
     */
    private record Malformed(String path, String kind, Object value, boolean mustRefuse, Set<String> names) {

        Malformed(String path, String kind, Object value, boolean mustRefuse) {
            this(path, kind, value, mustRefuse, Set.of());
        }

        Malformed inside(String parent, UnaryOperator<Object> wrap, Set<String> parentNames) {
            Set<String> all = new HashSet<>(names);
            all.addAll(parentNames);
            return new Malformed(parent + path, kind, wrap.apply(value), mustRefuse, all);
        }
    }

    private MalformedArguments() {
    }

    /** The schema as the files in graphql-schema/ declare it (no wiring: only its types are read). */
    static GraphQLSchema schema() {
        TypeDefinitionRegistry registry = new TypeDefinitionRegistry();
        try (Stream<Path> files = Files.list(Path.of("graphql-schema"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".graphqls")).sorted().toList()) {
                registry.merge(new SchemaParser().parse(Files.readString(file)));
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return UnExecutableSchemaGenerator.makeUnExecutableSchema(registry);
    }

    static List<Case> cases(String operation, GraphQLObjectType root) {
        List<Case> cases = new ArrayList<>();
        for (GraphQLFieldDefinition field : root.getFieldDefinitions()) {
            for (GraphQLArgument argument : field.getArguments()) {
                for (Malformed malformed : malformed("", argument.getName(), argument.getType())) {
                    Malformed named = malformed.inside(argument.getName(), value -> value, Set.of(argument.getName()));
                    cases.add(caseOf(operation, field, argument, named, false));
                    if (named.path().equals(argument.getName()) && literal(named.value()) != null
                            && (named.mustRefuse() || named.value() == HUGE)
                            && !(GraphQLTypeUtil.unwrapAll(argument.getType()) instanceof GraphQLEnumType)) {
                        cases.add(caseOf(operation, field, argument, named, true));
                    }
                }
            }
        }
        return cases;
    }

    /**
     * The case as a request: every argument sent through a variable, or the malformed one written in the document
     * ({@code inline}: graphql-java checks a literal while validating, a variable while coercing it).
     */
    private static Case caseOf(String operation, GraphQLFieldDefinition field, GraphQLArgument fuzzed,
            Malformed malformed, boolean inline) {
        Map<String, Object> variables = new LinkedHashMap<>();
        List<GraphQLArgument> sent = new ArrayList<>();
        for (GraphQLArgument argument : field.getArguments()) {
            if (argument == fuzzed && inline) {
                continue;
            }
            if (argument == fuzzed) {
                variables.put(argument.getName(), malformed.value());
                sent.add(argument);
            }
            else if (GraphQLTypeUtil.isNonNull(argument.getType())) {
                variables.put(argument.getName(), harmless(argument.getName(), argument.getType()));
                sent.add(argument);
            }
        }
        String declarations = sent.stream().map(a -> "$" + a.getName() + ": " + GraphQLTypeUtil.simplePrint(a.getType()))
                .collect(Collectors.joining(", "));
        String arguments = Stream.concat(inline ? Stream.of(fuzzed.getName() + ": " + literal(malformed.value()))
                : Stream.empty(), sent.stream().map(a -> a.getName() + ": $" + a.getName()))
                .collect(Collectors.joining(", "));
        String document = operation + " Malformed" + (sent.isEmpty() ? "" : "(" + declarations + ")") + " { "
                + field.getName() + "(" + arguments + ")" + selection(field.getType()) + " }";
        return new Case(operation, field.getName(), malformed.path(), malformed.kind() + (inline ? ", written in" : ""),
                malformed.mustRefuse(), document, variables, malformed.names());
    }

    /**
     * Whether {@code path} ({@code input.hours[2].closeTime}) leads from one of {@code operation}'s arguments through
     * its input objects' fields and its lists' elements; a bare field of an input object ({@code name}) does not.
     */
    static boolean isArgumentPath(String path, GraphQLFieldDefinition operation) {
        Matcher steps = PATH_STEP.matcher(path);
        if (!steps.lookingAt() || steps.group("field") == null || steps.group(0).startsWith(".")
                || operation.getArgument(steps.group("field")) == null) {
            return false;
        }
        GraphQLType type = operation.getArgument(steps.group("field")).getType();
        int end = steps.end();
        while (end < path.length()) {
            if (!steps.find(end) || steps.start() != end) {
                return false;
            }
            GraphQLType inner = GraphQLTypeUtil.unwrapNonNull(type);
            if (steps.group("index") != null && inner instanceof GraphQLList list) {
                type = list.getWrappedType();
            }
            else if (steps.group("field") != null && steps.group(0).startsWith(".")
                    && inner instanceof GraphQLInputObjectType object
                    && object.getField(steps.group("field")) != null) {
                type = object.getField(steps.group("field")).getType();
            }
            else {
                return false;
            }
            end = steps.end();
        }
        return true;
    }

    /** The value as a GraphQL literal, or null for one that is not a string, number or boolean. */
    private static String literal(Object value) {
        if (value instanceof String text) {
            StringBuilder quoted = new StringBuilder("\"");
            text.codePoints().forEach(c -> quoted.append(c == '"' || c == '\\' ? "\\" + (char) c
                    : c < 0x20 ? String.format("\\u%04x", c) : Character.toString(c)));
            return quoted.append('"').toString();
        }
        return value instanceof Number || value instanceof Boolean ? String.valueOf(value) : null;
    }

    private static String selection(GraphQLOutputType type) {
        GraphQLType named = GraphQLTypeUtil.unwrapAll(type);
        return named instanceof GraphQLScalarType || named instanceof GraphQLEnumType ? "" : " { __typename }";
    }

    private static List<Malformed> malformed(String path, String name, GraphQLInputType type) {
        List<Malformed> out = new ArrayList<>();
        if (type instanceof GraphQLNonNull nonNull) {
            out.add(new Malformed(path, "null for a non-null", null, true));
            type = (GraphQLInputType) nonNull.getWrappedType();
        }
        if (type instanceof GraphQLList list) {
            GraphQLInputType element = (GraphQLInputType) list.getWrappedType();
            // an object for a list of objects is read as a list of one (GraphQL's input coercion): refused as the object
            Set<String> names = GraphQLTypeUtil.unwrapNonNull(element) instanceof GraphQLInputObjectType object
                    ? Set.of(object.getName()) : Set.of();
            out.add(new Malformed(path, "an empty list", List.of(), false));
            out.add(new Malformed(path, "a list holding null", Collections.singletonList(null),
                    GraphQLTypeUtil.isNonNull(element)));
            out.add(new Malformed(path, "an object for a list", Map.of("x", 1), true, names));
            for (Malformed inner : malformed("[0]", name, element)) {
                if (!inner.kind().equals("null for a non-null")) {
                    out.add(inner.inside(path, Collections::singletonList, Set.of()));
                }
            }
            return out;
        }
        if (type instanceof GraphQLInputObjectType object) {
            Set<String> names = new HashSet<>(object.getFields().stream().map(GraphQLInputObjectField::getName).toList());
            names.add(object.getName());
            out.add(new Malformed(path, "a string for an object", "x", true, names));
            Map<String, Object> unknownField = harmlessObject(object);
            unknownField.put("noSuchField", 1);
            out.add(new Malformed(path, "an unknown field", unknownField, true, names));
            for (GraphQLInputObjectField field : object.getFields()) {
                for (Malformed inner : malformed("." + field.getName(), field.getName(), field.getType())) {
                    out.add(inner.inside(path, value -> {
                        Map<String, Object> parent = harmlessObject(object);
                        parent.put(field.getName(), value);
                        return parent;
                    }, names));
                }
            }
            return out;
        }
        if (type instanceof GraphQLEnumType enumType) {
            String first = enumType.getValues().get(0).getName();
            refuse(out, path, "an unknown enum value", "NO_SUCH_VALUE");
            refuse(out, path, "an empty enum value", "");
            refuse(out, path, "an enum value in lower case", first.toLowerCase(Locale.ROOT));
            refuse(out, path, "a number for an enum", 1);
            return out;
        }
        scalar(out, path, name, ((GraphQLNamedType) type).getName());
        return out;
    }

    private static void scalar(List<Malformed> out, String path, String name, String scalar) {
        switch (scalar) {
            case "ID" -> {
                refuse(out, path, "an empty id", "");
                refuse(out, path, "a blank id", "  ");
                refuse(out, path, "a non-numeric id", "abc");
                refuse(out, path, "a fractional id", "1.5");
                refuse(out, path, "an id beyond Long", "99999999999999999999");
                refuse(out, path, "a 100,000-digit id", "9".repeat(100_000));
                refuse(out, path, "a boolean for an id", true);
                refuse(out, path, "an object for an id", Map.of("id", 1));
                allow(out, path, "a negative id", "-1");
                allow(out, path, "id 0", "0");
            }
            case "Int" -> {
                refuse(out, path, "an Int overflow", 2_147_483_648L);
                refuse(out, path, "a number beyond Long", new BigInteger("100000000000000000000"));
                refuse(out, path, "a fraction for an Int", 1.5);
                refuse(out, path, "a string for an Int", "12");
                allow(out, path, "a negative Int", -1);
                allow(out, path, "the smallest Int", Integer.MIN_VALUE);
                allow(out, path, "the largest Int", Integer.MAX_VALUE);
                allow(out, path, "Int 0", 0);
            }
            case "Float" -> {
                refuse(out, path, "a string for a Float", "x");
                refuse(out, path, "a boolean for a Float", true);
                allow(out, path, "a negative Float", -1.5);
                allow(out, path, "a huge Float", 1e308);
            }
            case "Boolean" -> {
                refuse(out, path, "a string for a Boolean", "yes");
                refuse(out, path, "a number for a Boolean", 1);
            }
            case "Date" -> {
                refuse(out, path, "a date that does not exist", "2026-02-30");
                refuse(out, path, "a word for a date", "tomorrow");
                refuse(out, path, "an empty date", "");
                refuse(out, path, "a number for a date", 20260101);
                allow(out, path, "the last date Java knows", "+999999999-12-31");
                allow(out, path, "year 1", "0001-01-01");
            }
            case "DateTime" -> {
                refuse(out, path, "month 13", "2026-13-01T00:00:00Z");
                refuse(out, path, "a date-time without offset", "2026-01-01T00:00:00");
                refuse(out, path, "an empty date-time", "");
                refuse(out, path, "a number for a date-time", 0);
                allow(out, path, "the last instant Java knows", "+999999999-12-31T23:59:59Z");
                allow(out, path, "year 1", "0001-01-01T00:00:00Z");
            }
            case "LocalTime" -> {
                refuse(out, path, "hour 25", "25:00");
                refuse(out, path, "24:00", "24:00");
                refuse(out, path, "a word for a time", "9am");
                refuse(out, path, "a number for a time", 900);
            }
            case "String" -> {
                refuse(out, path, "a number for a String", 12);
                refuse(out, path, "an object for a String", Map.of("x", 1));
                allow(out, path, "an empty string", "");
                allow(out, path, "a 100,000-character string", HUGE);
                allow(out, path, "a NUL character", "a\u0000b");
                semanticString(out, path, name);
            }
            default -> throw new IllegalStateException("No malformed values for scalar " + scalar + " (" + path + ")");
        }
    }

    /** Strings with a format of their own, known by their name: a time zone, a time of day, a page cursor. */
    private static void semanticString(List<Malformed> out, String path, String name) {
        if (name.equals("timeZone")) {
            refuse(out, path, "an unknown time zone", "Mars/Olympus");
            refuse(out, path, "an offset for a time zone", "+05:00");
        }
        else if (name.endsWith("Time")) {
            refuse(out, path, "hour 25", "25:00");
            refuse(out, path, "a word for a time", "9am");
        }
        else if (name.equals("after")) {
            refuse(out, path, "a cursor of nothing", "not-a-cursor");
        }
        else if (name.matches("(?i).*(secret|password)")) {
            allow(out, path, "a secret with a line break", SECRET);
        }
        else if (name.equals("region")) {
            refuse(out, path, "an unknown region", "Mars");
        }
    }

    private static void refuse(List<Malformed> out, String path, String kind, Object value) {
        out.add(new Malformed(path, kind, value, true));
    }

    private static void allow(List<Malformed> out, String path, String kind, Object value) {
        out.add(new Malformed(path, kind, value, false));
    }

    /** A valid value of the type that names nothing existing: an id of nothing, a plain word, the first enum value. */
    static Object harmless(String name, GraphQLInputType type) {
        GraphQLType inner = GraphQLTypeUtil.unwrapNonNull(type);
        if (inner instanceof GraphQLList list) {
            return List.of(harmless(name, (GraphQLInputType) list.getWrappedType()));
        }
        if (inner instanceof GraphQLInputObjectType object) {
            return harmlessObject(object);
        }
        if (inner instanceof GraphQLEnumType enumType) {
            return enumType.getValues().get(0).getName();
        }
        return switch (((GraphQLNamedType) inner).getName()) {
            case "ID" -> NO_SUCH_ID;
            case "Int" -> 1;
            case "Float" -> 1.0;
            case "Boolean" -> false;
            case "Date" -> "2026-01-01";
            case "DateTime" -> "2026-01-01T00:00:00Z";
            case "LocalTime" -> "09:00";
            default -> name.equals("timeZone") ? "UTC" : name.endsWith("Time") ? "17:00" : "no-such-thing";
        };
    }

    /** The object's required fields, each harmless; its optional ones left out. */
    static Map<String, Object> harmlessObject(GraphQLInputObjectType object) {
        Map<String, Object> value = new LinkedHashMap<>();
        for (GraphQLInputObjectField field : object.getFields()) {
            if (GraphQLTypeUtil.isNonNull(field.getType())) {
                value.put(field.getName(), harmless(field.getName(), field.getType()));
            }
        }
        return value;
    }
}
