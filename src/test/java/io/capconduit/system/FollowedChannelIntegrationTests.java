package io.capconduit.system;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.capconduit.support.Eventually;
import io.capconduit.support.IntegrationTest;
import io.capconduit.system.PostgresNotifications.Notification;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@IntegrationTest
class FollowedChannelIntegrationTests {

    private static final String CHANNEL = "capconduit_test_followed_channel";

    @Autowired
    PostgresNotifications notifications;

    @Autowired
    JdbcTemplate jdbc;

    /** A notification its follower fails on is logged, and the channel followed on: the next one is acted on. */
    @Test
    void aNotificationThatCannotBeActedOnDoesNotEndTheFollowing() {
        List<String> failed = new CopyOnWriteArrayList<>();
        List<String> acted = new CopyOnWriteArrayList<>();
        FollowedChannel follower = new FollowedChannel(notifications, CHANNEL, "test-followed-channel") {
            @Override
            protected void received(Notification notification) {
                if ("fails".equals(notification.payload())) {
                    failed.add(notification.payload());
                    throw new IllegalStateException("cannot act on it");
                }
                acted.add(notification.payload());
            }
        };
        follower.start();
        try {
            // sent again until the listener has taken the new channel up (LISTEN comes a moment after subscribing)
            Eventually.await("a notification acted on after one that failed", Duration.ofSeconds(10), () -> {
                jdbc.queryForObject("SELECT pg_notify(?, 'fails')", String.class, CHANNEL);
                jdbc.queryForObject("SELECT pg_notify(?, 'works')", String.class, CHANNEL);
                return !failed.isEmpty() && acted.contains("works");
            });
        }
        finally {
            follower.stop();
        }
    }
}
