-- The cdrs query (CdrMapper.xml) pages the raw cdr rows newest start first, by (start, id) keyset, with filters.
-- Each filter is answered by an index, measured with EXPLAIN ANALYZE on 340,000 generated rows (30 days, 1 to 3
-- legs a call, written in end order as Asterisk does); without these every one but linkedId read the whole table:
--   time range (and no filter, and disposition / direction, a few values each: they only narrow it): cdr_start_idx,
--     read backwards from the range's end or the cursor, 0.4 ms a page at any depth. Ordering by id alone cannot use
--     it: the planner walks the primary key backwards expecting the range to be spread evenly over the ids, and an
--     old day read the 283,000 newer rows first (180 ms; a wide range sorted 200,000 rows, 330 ms);
--   campaignId, did: many rows each, so the index carries the page order too (a campaign's first page 1 ms, an
--     unknown campaign 0.3 ms, against 3 ms and a 180 ms scan on cdr_start_idx);
--   uniqueId; number (src OR dst: a bitmap of both indexes, sorted): a few rows each (a DID's dst, 700 rows, 13 ms);
--   linkedId: cdr_linkedid_idx (V1_4), which CallLog.cdrs uses too.
-- No more: Asterisk inserts a row per Dial attempt and each index costs every insert, and CDR reconciliation reads
-- by id range on the primary key. A large cdr table blocks inserts while these are built (seconds per million
-- rows; Asterisk's CDR thread waits): migrate such a table at a quiet hour.
CREATE INDEX cdr_start_idx ON cdr (start, id);
CREATE INDEX cdr_campaign_start_idx ON cdr (campaign_id, start, id);
CREATE INDEX cdr_did_start_idx ON cdr (did, start, id);
CREATE INDEX cdr_uniqueid_idx ON cdr (uniqueid);
CREATE INDEX cdr_src_idx ON cdr (src);
CREATE INDEX cdr_dst_idx ON cdr (dst);
