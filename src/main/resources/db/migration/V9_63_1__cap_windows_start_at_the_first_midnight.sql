-- A day (and a month) starts at its first midnight, also where the clocks go back at midnight. In a zone whose fall-back
-- change happens at midnight (Atlantic/Azores: 01:00 +00:00 back to 00:00 -01:00 on the last Sunday of October;
-- America/Havana: 01:00 -04:00 back to 00:00 -05:00 on the first Sunday of November, which is November 1st in 2026, so
-- its month too), local midnight occurs twice. date_trunc('day', at, zone) reads an ambiguous local time as the later
-- of the two instants (PostgreSQL's rule), so the DAY window of that day started at the second midnight, an hour
-- after the day before had ended: a window start later than calls it already counted (before 01:00 UTC in the Azores,
-- date_trunc even answered a start in the future), and the answers of the first hour missing from every count taken
-- since the window start (a cap period change, the cap report). The spring-forward day (midnight does not exist) was
-- right: date_trunc then answers the change itself, the first instant of the day. HOUR windows were right on both days
-- (date_trunc keeps the instant's own offset below a day) and are unchanged.
--
-- The rule now: the start is date_trunc's unless the instant just before it is already on the same local day; then the
-- day began earlier, at the first midnight, reached by going back from that instant by its local time since midnight
-- (the offset before the change holds from the first midnight to the change). This is java.time's
-- LocalDate.atStartOfDay(zone), the first instant of the local date. Compared on the local days around every change
-- of every zone from 1970 to 2037 (java.time's rules against this server's): it agrees with java.time wherever
-- date_trunc did, and on every midnight change besides; what is left are changes before 2011 that took the local date
-- back across midnight (clocks back from 00:01 to 23:01 in Newfoundland, Goose Bay and Moncton; Casey 2010; Tehran
-- 1978), answered as date_trunc answers them. CapResetJob (CapWindowMapper), routing (route_evaluate, route_claim,
-- route_answer, route_release), the cap period change and the cap report all read windows through this one function.
--
-- Cost: still one SQL expression, inlined by the planner into every caller. HOUR and TOTAL windows cost what they did;
-- a DAY or MONTH window is about 1.6 microseconds more per evaluation (six time zone conversions instead of two,
-- measured on this server's PostgreSQL 17), with no statement, round trip or lock added.
CREATE OR REPLACE FUNCTION cap_window_start(p_period text, p_time_zone text, p_at timestamptz)
RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE p_period
               WHEN 'TOTAL' THEN '-infinity'::timestamptz
               WHEN 'HOUR' THEN date_trunc('hour', p_at, p_time_zone)
               -- date_trunc's start, less the local time already past the day's (month's) first midnight at the
               -- instant before it: nothing, unless midnight occurred twice
               ELSE date_trunc(lower(p_period), p_at, p_time_zone)
                    - greatest((date_trunc(lower(p_period), p_at, p_time_zone) - interval '1 microsecond')
                                   AT TIME ZONE p_time_zone
                               - date_trunc(lower(p_period), p_at AT TIME ZONE p_time_zone)
                               + interval '1 microsecond',
                               interval '0')
           END
$$;
