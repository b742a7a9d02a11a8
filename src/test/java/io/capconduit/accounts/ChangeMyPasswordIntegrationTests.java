package io.capconduit.accounts;

import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;

@IntegrationTest
class ChangeMyPasswordIntegrationTests {

    static final String CHANGE = """
            mutation ($current: String!, $next: String!) {
              changeMyPassword(input: {currentPassword: $current, newPassword: $next}) { changed }
            }""";

    @Autowired
    UserMapper users;

    @Autowired
    PasswordEncoder encoder;

    @Autowired
    GraphQlTesters graphQl;

    @Test
    void changesThePasswordWhenTheCurrentOneMatches() {
        users.insert(new UserMapper.NewUser("pw-change-ok", encoder.encode("old-password"), Role.STAFF, null, true));

        graphQl.as("pw-change-ok", "old-password").document(CHANGE)
                .variable("current", "old-password").variable("next", "brand-new-password")
                .execute().path("changeMyPassword.changed").entity(Boolean.class).isEqualTo(true);

        graphQl.as("pw-change-ok", "brand-new-password").document("{ me { username } }")
                .execute().path("me.username").entity(String.class).isEqualTo("pw-change-ok");
    }

    @Test
    void aWrongCurrentPasswordIsABadRequestNamingTheField() {
        users.insert(new UserMapper.NewUser("pw-change-bad", encoder.encode("old-password"), Role.STAFF, null, true));

        graphQl.as("pw-change-bad", "old-password").document(CHANGE)
                .variable("current", "not-it").variable("next", "brand-new-password")
                .execute().errors().expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && "input.currentPassword".equals(error.getExtensions().get("field")))
                .verify();
    }

    @Test
    void aNewPasswordLongerThanBcryptReadsIsRefusedAndALongCurrentOneIsWrong() {
        users.insert(new UserMapper.NewUser("pw-change-long", encoder.encode("old-password"), Role.STAFF, null,
                true));

        graphQl.as("pw-change-long", "old-password").document(CHANGE)
                .variable("current", "old-password").variable("next", "n".repeat(73))
                .execute().errors().expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && "input.newPassword".equals(error.getExtensions().get("field"))
                        && error.getMessage().contains("72 bytes"))
                .verify();
        graphQl.as("pw-change-long", "old-password").document(CHANGE)
                .variable("current", "o".repeat(73)).variable("next", "brand-new-password")
                .execute().errors().expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && "input.currentPassword".equals(error.getExtensions().get("field")))
                .verify();
        graphQl.as("pw-change-long", "old-password").document("{ me { username } }")
                .execute().path("me.username").entity(String.class).isEqualTo("pw-change-long");
    }

    @Test
    void aShortNewPasswordIsRefused() {
        users.insert(new UserMapper.NewUser("pw-change-short", encoder.encode("old-password"), Role.STAFF, null,
                true));

        graphQl.as("pw-change-short", "old-password").document(CHANGE)
                .variable("current", "old-password").variable("next", "short")
                .execute().errors().expect(error -> "input.newPassword".equals(error.getExtensions().get("field")))
                .verify();
    }
}
