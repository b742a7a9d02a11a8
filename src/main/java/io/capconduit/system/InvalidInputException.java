package io.capconduit.system;

/**
 * An argument broke a rule. The message is shown to the caller as is, so it names the field and says what
 * is expected, never quoting SQL or internals. Reported as GraphQL classification BAD_REQUEST with
 * {@code extensions.field}: a service names a field of its input on its own ({@code name}) or by its path
 * ({@code input.name}); the GraphQL error names it by its path from the operation's arguments either way.
 */
public class InvalidInputException extends RuntimeException {

    private final String field;
    private final String reason;

    public InvalidInputException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
        this.reason = message;
    }

    public String field() {
        return field;
    }

    /** What is wrong, without the field: {@code must be 1 to 200 characters}. */
    public String reason() {
        return reason;
    }

    /** The same refusal naming the field by {@code path}, as the caller's request has it ({@code input.name}). */
    public InvalidInputException at(String path) {
        return path == null || path.equals(field) ? this : new InvalidInputException(path, reason);
    }

    /**
     * A caller's value as a refusal quotes it: a long one cut short (a 100,000-character echo helps no one), control
     * characters (line breaks, NUL) shown as {@code ?} so the message stays one line.
     */
    public static String shown(Object value) {
        String text = String.valueOf(value);
        String cut = text.length() <= 60 ? text : text.substring(0, 40) + "... (" + text.length() + " characters)";
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
