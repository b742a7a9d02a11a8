-- A new setting copies its buyer's facts (V9_27_0) from the buyer's committed row, never from one an edit is
-- replacing. The copy was read before anything waited for the buyer: linked while an admin's change of that buyer
-- (updateClient, deactivateClient, setClientSchedule) was under way, a setting copied the buyer as it was, and the
-- change's own trigger, whose snapshot did not hold the new setting, never reached it. Routing then used the stale
-- copy (a deactivated buyer still offered calls, a renamed endpoint dialed, hours read in the old zone) until the
-- buyer's next edit. The copy now locks the buyer's row (FOR SHARE: every edit of a buyer locks it for update
-- first), so it waits for a change under way and reads the row that change committed; a change started after it
-- waits for the setting, and its trigger then finds it. Routing's own updates never set client_id, so no call fires
-- this trigger.
CREATE OR REPLACE FUNCTION campaign_client_settings_client_copy() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT c.name, c.endpoint, c.time_zone, c.active, c.has_schedule
    INTO NEW.client_name, NEW.client_endpoint, NEW.client_time_zone, NEW.client_active, NEW.client_has_schedule
    FROM clients c
    WHERE c.id = NEW.client_id
    FOR SHARE;
    IF NOT FOUND THEN   -- what the foreign key would say, before the copies' NOT NULL says something else
        RAISE foreign_key_violation USING MESSAGE = format('client %s does not exist', NEW.client_id);
    END IF;
    RETURN NEW;
END
$$;
