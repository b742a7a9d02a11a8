-- Hopper fill diagnostics (issue 7): the closed leads of a list (never dialed again) are counted from an index
-- range of their own instead of a pass over the whole list.
CREATE INDEX leads_closed_idx ON leads (list_id) WHERE status IN ('DONE', 'DNC', 'INVALID');

COMMENT ON TABLE hopper_fill_runs IS 'One row per campaign and hopper fill run. The closed_leads and excluded_* '
    'counts are exact when the fill could not fill the hopper (inserted < room: the case they explain). When '
    'it filled the hopper, excluded_already_queued is exact and the others stop at 1,000 per list (meaning '
    '"at least 1,000"), so a big list costs the fill no full count. eligible is exact when the hopper was not '
    'filled and NULL when it was.';
