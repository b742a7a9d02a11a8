package io.capconduit.system;

/**
 * An argument broke a rule. The message is shown to the caller as is, so it names the field and says what
 * is expected, never quoting SQL or internals. Reported as GraphQL classification BAD_REQUEST with
 * {@code extensions.field}.
 */
public class InvalidInputException extends RuntimeException {

    private final String field;

    public InvalidInputException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
