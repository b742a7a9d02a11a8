-- The answered legs of dialer calls (only a lead who answered reaches the dialplan that stamps queue_entry_id), by
-- id: CDR reconciliation finds those of each id range whose entry the dialer settled as unanswered because it missed
-- the answer (CdrReconciliationMapper.xml, correctLostAnswers), without reading the range's other rows. Inserts pay
-- the predicate on every row and an index entry only on such a leg. A large cdr table blocks inserts while this is
-- built (seconds per million rows): migrate such a table at a quiet hour, as V9_50_0.
CREATE INDEX cdr_dialer_answered_idx ON cdr (id) WHERE disposition = 'ANSWERED' AND queue_entry_id <> '';
