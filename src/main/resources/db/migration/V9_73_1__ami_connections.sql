-- Which app instance holds a logged-in AMI connection to which Asterisk server, so that a decision about a server
-- ("is it up?", releaseAsteriskServerClaims) reads the same on every instance, not only on the one holding the
-- connection. Each instance (a random id per start) writes its own rows: at login, again at each answered keep-alive
-- Ping, and deletes them when the connection is lost or closed. A row of an instance that died without deleting it
-- counts until held_until, a little past the Ping it would have answered next.
CREATE TABLE ami_connections (
    server_id       bigint      NOT NULL REFERENCES asterisk_servers (id) ON DELETE CASCADE,
    instance_id     uuid        NOT NULL,
    connected_since timestamptz NOT NULL,
    held_until      timestamptz NOT NULL,
    PRIMARY KEY (server_id, instance_id)
);
