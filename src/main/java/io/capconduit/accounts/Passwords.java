package io.capconduit.accounts;

import java.nio.charset.StandardCharsets;

import io.capconduit.system.InvalidInputException;

/**
 * What a new password must be: at least 8 characters, and at most the 72 bytes (UTF-8) bcrypt reads; Spring's
 * encoder refuses longer ones rather than ignore the rest.
 */
final class Passwords {

    static final int MAX_BYTES = 72;

    private Passwords() {
    }

    static void check(String field, String password) {
        if (password == null || password.length() < 8) {
            throw new InvalidInputException(field, "must be at least 8 characters");
        }
        if (!fitsBcrypt(password)) {
            throw new InvalidInputException(field, "must be at most " + MAX_BYTES
                    + " bytes in UTF-8 (72 plain letters or digits, fewer accented or other characters)");
        }
    }

    /** For an input's toString: whether a password was given, never what it is. */
    static String masked(String password) {
        return password == null ? "null" : "[hidden]";
    }

    /** Whether bcrypt can take it; a longer one can be no one's password. */
    static boolean fitsBcrypt(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    }
}
