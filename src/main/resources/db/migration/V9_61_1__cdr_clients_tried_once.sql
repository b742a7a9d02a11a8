-- The dialplan rings every reachable device of a buyer at once (Dial of PJSIP_DIAL_CONTACTS), and Asterisk writes
-- a CDR row for each: one buyer whose two phones rang would be listed twice in a call log's clients_tried and
-- counted twice in its targets_tried. A call rings each buyer at most once, so the list keeps each client's first
-- appearance, in the order the call tried them.
CREATE FUNCTION cdr_first_of_each(clients bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(client ORDER BY first_at), '{}')
    FROM (SELECT client, min(at) AS first_at FROM unnest(clients) WITH ORDINALITY AS u (client, at) GROUP BY client) f
$$;
