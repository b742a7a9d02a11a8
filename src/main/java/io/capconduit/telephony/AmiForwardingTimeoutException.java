package io.capconduit.telephony;

/**
 * The app instance holding the server's AMI connection did not answer a forwarded action in time; the message says
 * whether the action was withdrawn unsent or may have been sent there.
 */
public class AmiForwardingTimeoutException extends RuntimeException {

    AmiForwardingTimeoutException(String message) {
        super(message);
    }
}
