package io.capconduit.accounts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Inputs that carry a password say so in logs and error messages, but never say the password. */
class PasswordInputsTests {

    @Test
    void toStringMasksThePassword() {
        assertThat(new UserController.CreateUserInput("ops", "hunter2-secret", Role.STAFF, null).toString())
                .contains("ops").contains("STAFF").doesNotContain("hunter2-secret");
        assertThat(new UserController.UpdateUserInput(Role.ADMIN, null, "hunter2-secret", true).toString())
                .contains("ADMIN").doesNotContain("hunter2-secret");
        assertThat(new UserController.UpdateUserInput(null, null, null, false).toString())
                .contains("password=null");
        assertThat(new MeController.ChangeMyPasswordInput("old-secret-1", "new-secret-2").toString())
                .doesNotContain("old-secret-1").doesNotContain("new-secret-2");
    }

    /** Records print every component: those holding a hash, a configured password or a new token hide it. */
    @Test
    void recordsHoldingASecretHideIt() {
        assertThat(new User(7, "ops", "{bcrypt}$2a$10$hashhashhash", Role.STAFF, null, true, 3, null, null).toString())
                .contains("ops").contains("STAFF").contains("credentialsVersion=3").doesNotContain("$2a$10$hashhashhash");
        assertThat(new AdminProperties("root", "configured-secret").toString())
                .contains("root").doesNotContain("configured-secret");
        assertThat(new AdminProperties("root", null).toString()).contains("password=null");
        assertThat(new ApiTokens.Created("cc_token-value", new ApiToken(1, "ci", null, null, null)).toString())
                .contains("ci").doesNotContain("cc_token-value");
    }
}
