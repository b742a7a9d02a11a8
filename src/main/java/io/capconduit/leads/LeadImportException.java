package io.capconduit.leads;

/**
 * The file cannot be imported at all (not a spreadsheet, encrypted, no phone column, ...). The message is
 * written for the person who uploaded it and becomes the exit description of the failed execution.
 */
class LeadImportException extends RuntimeException {

    LeadImportException(String message) {
        super(message);
    }

    LeadImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
