-- A campaign's recording notice (V9_82_0) has the dialplan answer the caller before any buyer does. From then on
-- Asterisk gives every CDR record of the call an answer time, Party A being up (main/cdr.c,
-- cdr_object_check_party_a_answer): a failed failover Dial's row and the hangup handler's row look answered, and
-- the answered Dial's billsec counts the notice and the ringing. The dialplan says so on every row:
--   caller_answered  NOTICE when the dialplan answered the caller to play the notice (a CDR variable set before
--                    the Answer, which every later record of the call copies)
-- and stamps dialed_answered_at (V9_51_0) in route-answered, on the buyer's channel, so CDR reconciliation reads
-- such a call as it reads a click-to-call: answered only by a Dial whose disposition is ANSWERED, from the buyer's
-- answer. text, as every column fed from the channel (V9_25_0); adding a nullable column rewrites no row.
ALTER TABLE cdr ADD COLUMN caller_answered text;

COMMENT ON COLUMN cdr.caller_answered IS
    'NOTICE: the dialplan answered the caller to play the recording notice, so the row''s answer is not a buyer''s';
