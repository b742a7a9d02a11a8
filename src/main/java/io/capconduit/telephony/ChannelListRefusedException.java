package io.capconduit.telephony;

/** Asterisk answered CoreShowChannels with an error: no list, which says nothing about the calls. */
public class ChannelListRefusedException extends RuntimeException {

    ChannelListRefusedException(String message) {
        super("CoreShowChannels refused: " + message);
    }
}
