-- Wrong-password counts of the sign-in throttle, shared by every app instance on this database (they were kept in
-- each instance's memory: behind a load balancer, n instances let n times the limit through, and a restart forgot
-- them). The key is the SHA-256 of "user:<name> from <address>" or "address:<address>": nothing a person typed
-- into the user name field (often a password) is stored, and a hostile 8 kB name is 32 bytes like any other.
CREATE TABLE sign_in_failures (
    key         bytea       PRIMARY KEY,
    failures    integer     NOT NULL,
    window_ends timestamptz NOT NULL
);
-- expired counts are deleted as new failures come
CREATE INDEX sign_in_failures_window_ends_idx ON sign_in_failures (window_ends);
