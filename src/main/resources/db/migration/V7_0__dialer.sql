-- Outbound dialer (issue 7): hopper fill diagnostics, dialer bookkeeping, and the indexes the fill and the
-- dialer tick need.

-- "Why is the hopper empty?": one row per campaign and fill run. Each excluded_* column counts the leads of
-- the campaign's lists still dialable by status (NEW, RETRY) that this one filter keeps out (a lead may be
-- kept out by several). Each count reads an index range of what it counts, never the whole list.
-- "eligible" is exact when the fill could not fill the hopper (it then took every eligible lead) and NULL
-- when it filled it (more were eligible).
CREATE TABLE hopper_fill_runs (
    id                      bigserial PRIMARY KEY,
    campaign_id             bigint      NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    job_execution_id        bigint,
    ran_at                  timestamptz NOT NULL DEFAULT now(),
    lead_lists              integer     NOT NULL,
    hopper_level            integer     NOT NULL,
    queued_before           integer     NOT NULL,
    closed_leads            integer     NOT NULL,     -- status DONE, DNC or INVALID: never dialed again
    excluded_max_attempts   integer     NOT NULL,
    excluded_dnc            integer     NOT NULL,
    excluded_already_queued integer     NOT NULL,
    excluded_retry_delay    integer     NOT NULL,
    excluded_call_window    integer     NOT NULL,
    eligible                integer,
    inserted                integer     NOT NULL,
    zones_in_window         integer     NOT NULL,     -- how many IANA zones were inside the call window
    duration_ms             integer     NOT NULL
);
CREATE INDEX hopper_fill_runs_campaign_idx ON hopper_fill_runs (campaign_id, ran_at DESC);

-- The fill walks a list's dialable leads least-attempted then oldest first and stops at the room left in
-- the hopper; the INCLUDE columns let it filter on the index alone.
CREATE INDEX leads_hopper_idx ON leads (list_id, attempts, id) INCLUDE (time_zone, next_attempt_at, phone)
    WHERE status IN ('NEW', 'RETRY');
-- Diagnostics: leads of the zones outside the call window, and leads waiting for their retry time.
CREATE INDEX leads_zone_idx ON leads (list_id, time_zone) WHERE status IN ('NEW', 'RETRY');
CREATE INDEX leads_retry_wait_idx ON leads (list_id, next_attempt_at) WHERE status = 'RETRY';

-- Rolling 30-day abandon rate per campaign, read every dialer tick.
CREATE INDEX outbound_queue_done_idx ON outbound_queue (campaign_id, done_at) INCLUDE (outcome)
    WHERE status = 'DONE';
-- Calls in flight per campaign (dialing, not yet with an agent).
CREATE INDEX outbound_queue_in_flight_idx ON outbound_queue (campaign_id) WHERE status = 'DIALING';

-- When the lead answered (OriginateResponse Success): answered calls no agent took are ABANDONED.
ALTER TABLE outbound_queue ADD COLUMN answered_at timestamptz;

-- Our Originate ChannelIds: 'cc-<n>' from this sequence, unique for ever, so a re-queued entry never
-- reuses the id of a call that might have happened.
CREATE SEQUENCE outbound_channel_seq;

-- Wrap-up ends at this time unless ended earlier by the endWrapUp mutation.
ALTER TABLE agents ADD COLUMN wrap_up_until timestamptz;
