package io.capconduit.system;

/**
 * The object does not exist, or the caller may not see it: a seller asking for another seller's campaign
 * gets exactly this, so the answer reveals nothing. Reported as GraphQL classification NOT_FOUND.
 */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String type, Object id) {
        super(type + " " + id + " not found");
    }
}
