-- Call control (hangup, blind transfer, click-to-call) and a server's status asked of an app instance that holds no
-- AMI connection to the server go to an instance that holds one (ami_connections) through this table: the asking
-- instance writes the action, every instance hears of it (a NOTIFY of the row's id only), one that is logged in to the
-- server takes it (taken_at: at most one instance, and never after expires_at, when the asking one has stopped
-- waiting), sends it over its connection and writes the answer, which the asking instance hears of, reads and
-- deletes. Only the actions call control and the status send are ever written here (AmiForwardedActions), and none
-- carries a secret. A row its asker never deleted (it died while waiting) is deleted by the next request, a minute
-- after it expired.
CREATE TABLE ami_forwarded_actions (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    server_id       bigint      NOT NULL REFERENCES asterisk_servers (id) ON DELETE CASCADE,
    action          text        NOT NULL,
    fields          jsonb       NOT NULL,
    requested_by    uuid        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    taken_by        uuid,
    taken_at        timestamptz,
    -- NOT_CONNECTED: the taker's connection was lost before an answer came (nothing known to be done, as over a
    -- connection of one's own); else the AMI Response line (Success, Error, ...) and its Message
    outcome         text,
    message         text,
    -- what the answer says beyond its Message, for the status actions only: versions, times, the channels listed
    answer          jsonb,
    answered_at     timestamptz,
    CHECK ((answered_at IS NULL) = (outcome IS NULL)),
    CHECK (answered_at IS NULL OR taken_at IS NOT NULL)
);

CREATE INDEX ami_forwarded_actions_expiry ON ami_forwarded_actions (expires_at);

CREATE FUNCTION ami_forwarded_actions_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM pg_notify('capconduit_ami_forwarded_actions', NEW.id::text);
    ELSE
        PERFORM pg_notify('capconduit_ami_forwarded_replies', NEW.id::text);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER ami_forwarded_actions_requested
    AFTER INSERT ON ami_forwarded_actions
    FOR EACH ROW EXECUTE FUNCTION ami_forwarded_actions_notify();

CREATE TRIGGER ami_forwarded_actions_answered
    AFTER UPDATE ON ami_forwarded_actions
    FOR EACH ROW WHEN (OLD.answered_at IS NULL AND NEW.answered_at IS NOT NULL)
    EXECUTE FUNCTION ami_forwarded_actions_notify();
