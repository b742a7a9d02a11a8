-- cdr columns that receive channel or dialplan data become text, as V1_4 meant its custom columns to be: a value
-- longer than its column must never make cdr_adaptive_odbc's insert fail, for that CDR is then lost (Asterisk
-- logs "Insert failed" and drops it). cdr_adaptive_odbc cuts a value only to the octet length the ODBC driver
-- reports, and psqlODBC's Unicode driver reports twice a varchar's width: a DID over 40 characters (the request
-- URI's user part may have 79 in Asterisk; cut at 80 bytes) reached PostgreSQL too long for did varchar(40), and
-- a caller id or a Dial string over 80 characters too long for src, clid or lastdata. text is reported as a long
-- varchar (SQL_WLONGVARCHAR), which cdr_adaptive_odbc writes in the same branch as a varchar, cut at 16,380 bytes
-- (psqlODBC's 8,190 characters, twice); cdr_adaptive_odbc reads each value into 1,024 bytes anyway.
-- Names, nullability and meaning stay those of Asterisk's postgresql_cdr.sql. Not changed: disposition and
-- amaflags (Asterisk's own words), uniqueid and linkedid (Asterisk caps unique ids at 149 characters; linkedid
-- keeps V9_5_0's COLLATE "C" and its index). varchar to text rewrites no row and no index.
-- A running Asterisk reads the column types when cdr_adaptive_odbc loads: reload it after this migration
-- (CapConduit does on every AMI connect; asterisk-conf/README.md).
ALTER TABLE cdr
    ALTER COLUMN accountcode TYPE text, ALTER COLUMN peeraccount TYPE text,
    ALTER COLUMN src TYPE text, ALTER COLUMN dst TYPE text, ALTER COLUMN dcontext TYPE text,
    ALTER COLUMN clid TYPE text, ALTER COLUMN channel TYPE text, ALTER COLUMN dstchannel TYPE text,
    ALTER COLUMN lastapp TYPE text, ALTER COLUMN lastdata TYPE text, ALTER COLUMN userfield TYPE text,
    ALTER COLUMN direction TYPE text, ALTER COLUMN campaign_id TYPE text, ALTER COLUMN setting_id TYPE text,
    ALTER COLUMN client_id TYPE text, ALTER COLUMN seller_id TYPE text, ALTER COLUMN did TYPE text,
    ALTER COLUMN strategy TYPE text, ALTER COLUMN targets_tried TYPE text, ALTER COLUMN route_status TYPE text,
    ALTER COLUMN unrouted_reason TYPE text, ALTER COLUMN queue_entry_id TYPE text, ALTER COLUMN lead_id TYPE text,
    ALTER COLUMN agent_id TYPE text, ALTER COLUMN recording_file TYPE text;
