package io.capconduit.accounts;

/** ADMIN manages clients, PJSIP, servers and users; STAFF reads all and operates; SELLER sees only its own. */
public enum Role {
    ADMIN, STAFF, SELLER;

    public String authority() {
        return "ROLE_" + name();
    }
}
