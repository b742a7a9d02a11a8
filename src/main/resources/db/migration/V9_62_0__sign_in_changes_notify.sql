-- A subscription lives as long as the sign-in it was opened with (SubscriptionSignIns): its WebSocket was signed
-- in once, at the handshake, and may stay open for days. Every change that ends or narrows a user's sign-in says
-- whose it was on one channel, which each app instance LISTENs on, and the user's subscriptions check it again:
-- the user disabled, deleted, given another role or seller, or a new password (credentials_version), or one of its
-- API tokens revoked or deleted. The payload is the user id only. Rare changes, so nothing on any hot path.
-- The trigger's argument names the row's column holding the user id (id in users, user_id in api_tokens).
CREATE FUNCTION sign_in_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('capconduit_sign_in_changes', to_jsonb(OLD) ->> TG_ARGV[0]);
    RETURN NULL;
END
$$;

CREATE TRIGGER users_sign_in_changed
    AFTER UPDATE ON users
    FOR EACH ROW
    WHEN ((OLD.enabled, OLD.role, OLD.seller_id, OLD.credentials_version)
          IS DISTINCT FROM (NEW.enabled, NEW.role, NEW.seller_id, NEW.credentials_version))
    EXECUTE FUNCTION sign_in_changes_notify('id');

CREATE TRIGGER users_sign_in_deleted
    AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION sign_in_changes_notify('id');

-- a password change revokes every token of the user in one statement: PostgreSQL folds the identical
-- notifications of one transaction into one
CREATE TRIGGER api_tokens_sign_in_changed
    AFTER UPDATE OR DELETE ON api_tokens
    FOR EACH ROW WHEN (OLD.revoked_at IS NULL)
    EXECUTE FUNCTION sign_in_changes_notify('user_id');
