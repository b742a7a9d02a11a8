-- The reject report's raw value for a number on the DNC list (lead import review, L8): the merge rejects such a
-- row after staging, where only the normalised number was kept, so the report showed +12015550123 for a cell
-- written (201) 555-0123. Staged rows now keep the phone cell as written.
ALTER TABLE lead_import_stage ADD COLUMN raw_phone text;

-- An import staged before this migration and merged after it: its staging table gets the column too (NULL: the
-- merge reports the normalised number for its rows, as before).
DO $$
DECLARE
    v_stage regclass;
BEGIN
    FOR v_stage IN SELECT c.oid::regclass FROM pg_class c
                   WHERE c.relname ~ '^lead_import_stage_[0-9]+$' AND c.relkind = 'r'
                     AND c.relnamespace = 'public'::regnamespace LOOP
        EXECUTE format('ALTER TABLE %s ADD COLUMN IF NOT EXISTS raw_phone text', v_stage);
    END LOOP;
END
$$;
