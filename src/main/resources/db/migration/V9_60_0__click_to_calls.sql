-- Each click-to-call as the application placed it, keyed by the Originate's ChannelId (ctc-<uuid>). Asterisk makes
-- that id the agent channel's uniqueid and linkedid, so every CDR row of the call carries it. When the agent never
-- answers no dialplan runs: the one row Asterisk writes (cdr.conf unanswered=yes) has dst 's' and no custom column
-- (the Originate's variables are channel variables, not CDR variables). CDR reconciliation joins this table on the
-- row's linkedid to name the call's number, agent and campaign whether or not the dialplan stamped them.
-- channel_id is COLLATE "C" like the linked ids reconciliation groups by, so its join probes this primary key
-- (or hashes this small table) without a collation change. No foreign keys: as in call_logs (V5_1), an id whose row
-- is gone joins to nothing and never blocks a delete.
CREATE TABLE click_to_calls (
    channel_id  text COLLATE "C" PRIMARY KEY CHECK (channel_id LIKE 'ctc-%'),
    agent_id    bigint      NOT NULL,
    campaign_id bigint      NOT NULL,
    number      text        NOT NULL CHECK (number ~ '^\+[1-9][0-9]{6,14}$'),
    server_id   bigint,
    placed_at   timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE click_to_calls IS
    'click-to-calls as placed (ChannelId = the CDR''s linkedid): CDR reconciliation names number, agent, campaign from it';
