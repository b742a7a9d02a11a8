-- Leads whose number spans time zones (issue 6, the dialer's call window). An area code or exchange can lie in
-- two zones (208: Boise and Los Angeles); when neither the lead's state nor its postal code decides, the lead
-- kept only the first of them, and the dialer called the other zone's leads by the wrong clock: at 9:00 in
-- Boise a Pacific lead is called at 8:00. Such a lead now keeps every zone its number may be in, and the
-- dialer calls it only while the call window is open in all of them. time_zone keeps one of them (what the API
-- and reports show); time_zones is NULL whenever the zone is certain, which is almost every lead.
ALTER TABLE leads ADD COLUMN time_zones text[];
ALTER TABLE leads ADD CONSTRAINT leads_time_zones_hold_time_zone
    CHECK (time_zones IS NULL OR time_zone = ANY (time_zones));
ALTER TABLE lead_import_stage ADD COLUMN time_zones text[];

-- An import staged before this migration and merged after it: its staging table gets the column too.
DO $$
DECLARE
    v_stage regclass;
BEGIN
    FOR v_stage IN SELECT c.oid::regclass FROM pg_class c
                   WHERE c.relname ~ '^lead_import_stage_[0-9]+$' AND c.relkind = 'r'
                     AND c.relnamespace = 'public'::regnamespace LOOP
        EXECUTE format('ALTER TABLE %s ADD COLUMN IF NOT EXISTS time_zones text[]', v_stage);
    END LOOP;
END
$$;

-- The hopper fill filters on leads_hopper_idx alone (an index-only walk): the zones join its INCLUDE columns.
DROP INDEX leads_hopper_idx;
CREATE INDEX leads_hopper_idx ON leads (list_id, attempts, id) INCLUDE (time_zone, time_zones, next_attempt_at, phone)
    WHERE status IN ('NEW', 'RETRY');
-- Diagnostics: the leads held back because one of their other zones is outside the window (few, so a small
-- index of them alone).
CREATE INDEX leads_zone_set_idx ON leads (list_id) WHERE time_zones IS NOT NULL AND status IN ('NEW', 'RETRY');
