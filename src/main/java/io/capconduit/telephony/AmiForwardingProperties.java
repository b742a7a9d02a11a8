package io.capconduit.telephony;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Call control asked of an app instance that holds no AMI connection to the server, sent through one that does.
 *
 * @param timeout how long the asking instance waits for the holding one to take the action; one not taken by then
 *                is withdrawn (never sent). One taken is waited for up to {@code capconduit.ami.response-timeout}
 *                more, the longest the holder waits for Asterisk's answer
 */
@ConfigurationProperties("capconduit.ami-forwarding")
public record AmiForwardingProperties(@DefaultValue("10s") Duration timeout) {
}
