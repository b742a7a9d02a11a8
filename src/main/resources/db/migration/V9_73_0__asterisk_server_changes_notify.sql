-- Every app instance keeping AMI connections (capconduit.ami.auto-connect) connects to every active Asterisk server.
-- A server created, moved (host, port, user, secret), activated or deactivated through one instance is said on one
-- channel, which each instance LISTENs on (AmiServerChanges), so every instance connects it anew or drops it, not
-- only the one that served the mutation. The payload is the server id only: no secret travels. Rare changes; a new
-- name or rate limit says nothing (the connection does not depend on it).
CREATE FUNCTION asterisk_server_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('capconduit_asterisk_server_changes',
                      (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER asterisk_servers_connection_created
    AFTER INSERT OR DELETE ON asterisk_servers
    FOR EACH ROW EXECUTE FUNCTION asterisk_server_changes_notify();

CREATE TRIGGER asterisk_servers_connection_changed
    AFTER UPDATE ON asterisk_servers
    FOR EACH ROW
    WHEN ((OLD.active, OLD.host, OLD.ami_port, OLD.ami_username, OLD.ami_secret)
          IS DISTINCT FROM (NEW.active, NEW.host, NEW.ami_port, NEW.ami_username, NEW.ami_secret))
    EXECUTE FUNCTION asterisk_server_changes_notify();
