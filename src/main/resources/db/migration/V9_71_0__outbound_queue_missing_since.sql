-- When a recovery (after a reconnect, or the overdue sweep) first found a DIALING entry's call neither up on
-- Asterisk nor in the CDR. Its call may have ended a moment before the channel list was taken, with the Hangup's
-- settle (in whichever application instance heard it) or the CDR row still on the way: the entry goes back to the
-- hopper only when it is still DIALING, unanswered and without a CDR a grace period later, decided by one
-- conditional UPDATE whichever instance makes it. Cleared when the entry is put back.
ALTER TABLE outbound_queue ADD COLUMN missing_since timestamptz;
