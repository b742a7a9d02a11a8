-- A click-to-call's CDR names the number it dialed nowhere: Asterisk's dst is the extension the Originate entered
-- (s), read-only since Asterisk 12, and its answer is the agent's, who answered before the number was dialed.
-- capconduit-click-to-call (asterisk-conf/extensions_outbound.conf) stamps both as custom columns, which
-- cdr_adaptive_odbc fills from the CDR variables of the same names:
--   dialed_number       the E.164 number dialed (the Originate's CTC_NUMBER, FILTERed to + and digits)
--   dialed_answered_at  when the number answered, in UTC with milliseconds ('2026-03-02 10:00:04.250'), set on the
--                       number's channel by Dial's U() routine, so on the Dial leg's row only
-- text, as every column fed from the channel (V9_25_0): a value never fails the insert. Adding nullable columns
-- rewrites no row. A running Asterisk sees them once cdr_adaptive_odbc reloads (CapConduit does on every AMI
-- connect; asterisk-conf/README.md).
ALTER TABLE cdr ADD COLUMN dialed_number text, ADD COLUMN dialed_answered_at text;

-- The number's answer as CDR reconciliation reads it: the stamp when it is a time within its row's leg (from the
-- row's answer to its end; the end is written in whole seconds, so up to a second before the stamp), else null.
-- A stamp that is no time (a hand-edited row, a dialplan changed since) gives null, never an error that would stop
-- every later reconciliation run on the same row.
CREATE FUNCTION cdr_stamped_answer(p_stamp text, p_answer timestamp, p_end timestamp)
RETURNS timestamp
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
    v_time timestamp;
BEGIN
    IF p_stamp !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,6})?$' THEN
        RETURN NULL;
    END IF;
    v_time := p_stamp::timestamp;
    IF v_time < p_answer OR v_time >= p_end + interval '1 second' THEN
        RETURN NULL;
    END IF;
    RETURN v_time;
EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION cdr_stamped_answer(text, timestamp, timestamp) IS
    'the time a CDR row''s dialed_answered_at stamps, when it lies within the row (answer to end), else null';
