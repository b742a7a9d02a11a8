-- issue 3: API tokens (a cheap alternative to bcrypt-checked HTTP Basic on every request) and the
-- call-log index for the disposition filter of the keyset-paged callLogs query.

-- A bearer token is shown once at creation; only its SHA-256 is kept, so a database dump reveals no token.
CREATE TABLE api_tokens (
    id           bigserial PRIMARY KEY,
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash   bytea       NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- callLogs(filter: {disposition}) pages newest first like the other call_logs indexes.
CREATE INDEX call_logs_disposition_start_idx ON call_logs (disposition, start_time DESC, id DESC);
