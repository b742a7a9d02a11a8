-- Lead import speed (issue 6). Phone numbers are E.164 strings ('+' and digits): byte order is their only
-- meaningful order, and equality is byte equality. Under the database's default collation (a libc locale
-- such as C.UTF-8 or en_US.UTF-8) every comparison in a B-tree on them went through strcoll(): inserting a
-- million leads spent ~14 s of ~21 s in the (list_id, phone) unique index alone; under "C" it is ~4 s.
-- Every column that is compared with another here changes together (a join of a "C" column with a
-- default-collation one would not know which collation to use).
ALTER TABLE leads ALTER COLUMN phone TYPE text COLLATE "C";
ALTER TABLE dnc_numbers ALTER COLUMN phone TYPE text COLLATE "C";
ALTER TABLE lead_import_stage ALTER COLUMN phone TYPE text COLLATE "C";

-- Indexes that every new lead paid for and no statement reads:
-- leads_dialable_idx was replaced by leads_hopper_idx (V7_0: same leading columns, and it covers the fill);
-- leads_phone_idx served no query: DNC checks probe (list_id, phone) or dnc_numbers' own key.
DROP INDEX leads_dialable_idx;
DROP INDEX leads_phone_idx;

-- The foreign key leads.list_id -> lead_lists ran one lookup (SELECT ... FOR KEY SHARE) per inserted lead: ~9 s
-- of CPU for a million-row import, more than the rows and all their indexes. The same rule is now checked once
-- per statement, over the set of lists the statement wrote, with the same lock (FOR KEY SHARE on each list, so
-- a list cannot be deleted under an import) and the same SQLSTATE (23503). Lists are only ever deactivated by
-- the application; deleting one that still has leads is refused by the trigger on lead_lists below.
ALTER TABLE leads DROP CONSTRAINT leads_list_id_fkey;

CREATE FUNCTION leads_check_lists() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing bigint;
BEGIN
    SELECT n.list_id INTO missing
    FROM (SELECT DISTINCT list_id FROM written) n
    WHERE NOT EXISTS (SELECT 1 FROM lead_lists l WHERE l.id = n.list_id FOR KEY SHARE)
    LIMIT 1;
    IF FOUND THEN
        RAISE foreign_key_violation USING
            MESSAGE = 'insert or update on table "leads" violates foreign key constraint "leads_list_id_fkey"',
            DETAIL = format('Key (list_id)=(%s) is not present in table "lead_lists".', missing),
            TABLE = 'leads', CONSTRAINT = 'leads_list_id_fkey';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER leads_list_id_insert AFTER INSERT ON leads REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION leads_check_lists();

-- Leads never move between lists in the application; should one be moved by hand, the row-level check runs
-- only when list_id really changes (a statement trigger would copy every row of the dialer's frequent updates).
CREATE FUNCTION leads_check_moved_list() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM lead_lists l WHERE l.id = NEW.list_id FOR KEY SHARE;
    IF NOT FOUND THEN
        RAISE foreign_key_violation USING
            MESSAGE = 'insert or update on table "leads" violates foreign key constraint "leads_list_id_fkey"',
            DETAIL = format('Key (list_id)=(%s) is not present in table "lead_lists".', NEW.list_id),
            TABLE = 'leads', CONSTRAINT = 'leads_list_id_fkey';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER leads_list_id_update BEFORE UPDATE OF list_id ON leads
    FOR EACH ROW WHEN (OLD.list_id IS DISTINCT FROM NEW.list_id) EXECUTE FUNCTION leads_check_moved_list();

CREATE FUNCTION lead_lists_keep_referenced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM leads WHERE list_id = OLD.id) THEN
        RAISE foreign_key_violation USING
            MESSAGE = 'update or delete on table "lead_lists" violates foreign key constraint "leads_list_id_fkey" '
                      'on table "leads"',
            DETAIL = format('Key (id)=(%s) is still referenced from table "leads".', OLD.id),
            TABLE = 'lead_lists', CONSTRAINT = 'leads_list_id_fkey';
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER lead_lists_referenced_delete BEFORE DELETE ON lead_lists
    FOR EACH ROW EXECUTE FUNCTION lead_lists_keep_referenced();
CREATE TRIGGER lead_lists_referenced_update BEFORE UPDATE OF id ON lead_lists
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION lead_lists_keep_referenced();
