package io.capconduit.telephony;

/** The server has no logged-in AMI connection now: nothing was sent, try again later. */
public class AmiNotConnectedException extends RuntimeException {

    public AmiNotConnectedException(long serverId) {
        super("Asterisk server " + serverId + " is not connected over AMI");
    }
}
