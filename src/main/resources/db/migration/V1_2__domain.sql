-- CapConduit's own domain. Asterisk-owned shapes (ps_*, cdr) live in V1_3 and V1_4.
-- Time is always timestamptz; a time zone is an IANA name checked against pg_timezone_names by the app.

-- accounts ------------------------------------------------------------------------------------------

CREATE TABLE sellers (
    id          bigserial PRIMARY KEY,
    name        text        NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    email       text,
    time_zone   text        NOT NULL DEFAULT 'UTC',
    active      boolean     NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    username      text        NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 100),
    -- DelegatingPasswordEncoder format: {bcrypt}$2a$...
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('ADMIN', 'STAFF', 'SELLER')),
    seller_id     bigint      REFERENCES sellers (id),
    enabled       boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    -- a SELLER user acts for exactly one seller; staff and admins for none
    CONSTRAINT users_seller_role CHECK ((role = 'SELLER') = (seller_id IS NOT NULL))
);
CREATE INDEX users_seller_idx ON users (seller_id) WHERE seller_id IS NOT NULL;

-- telephony -----------------------------------------------------------------------------------------

CREATE TABLE asterisk_servers (
    id                       bigserial PRIMARY KEY,
    name                     text        NOT NULL UNIQUE,
    host                     text        NOT NULL,
    ami_port                 integer     NOT NULL DEFAULT 5038 CHECK (ami_port BETWEEN 1 AND 65535),
    ami_username             text        NOT NULL,
    ami_secret               text        NOT NULL,   -- write-only through the API, never logged
    -- asterisk.conf systemname: prefixes UNIQUEID, so claims from several servers never collide
    system_name              text,
    max_calls_per_second     numeric(6,2) NOT NULL DEFAULT 10 CHECK (max_calls_per_second > 0),
    max_originates_in_flight integer     NOT NULL DEFAULT 50 CHECK (max_originates_in_flight > 0),
    active                   boolean     NOT NULL DEFAULT true,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now()
);

-- Carrier trunks: calls from their IPs land in [from-pstn]; outbound calls leave through them.
CREATE TABLE trunks (
    id          bigserial PRIMARY KEY,
    name        text        NOT NULL UNIQUE,
    endpoint    text        NOT NULL UNIQUE,        -- ps_endpoints.id
    host        text,                               -- where outbound calls go (static contact)
    port        integer     CHECK (port BETWEEN 1 AND 65535),
    match_ips   text[]      NOT NULL DEFAULT '{}',  -- ps_endpoint_id_ips.match entries
    dial_prefix text        NOT NULL DEFAULT '',
    active      boolean     NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- routing -------------------------------------------------------------------------------------------

-- Buyers. A client is reached either at a static SIP URI (its SBC) or by registering with credentials.
CREATE TABLE clients (
    id            bigserial PRIMARY KEY,
    name          text        NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    time_zone     text        NOT NULL DEFAULT 'UTC',
    endpoint      text        NOT NULL UNIQUE,      -- ps_endpoints.id, e.g. client-7
    sip_mode      text        NOT NULL DEFAULT 'STATIC' CHECK (sip_mode IN ('STATIC', 'REGISTER')),
    sip_host      text,
    sip_port      integer     CHECK (sip_port BETWEEN 1 AND 65535),
    sip_user      text,
    max_contacts  integer     NOT NULL DEFAULT 1 CHECK (max_contacts BETWEEN 1 AND 100),
    active        boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT clients_static_has_host CHECK (sip_mode <> 'STATIC' OR sip_host IS NOT NULL)
);

-- Business hours in the client's own time zone; no row for a client means "always open".
-- day_of_week follows ISO 8601 (1 = Monday ... 7 = Sunday); close_time may be '24:00'.
CREATE TABLE client_schedules (
    id          bigserial PRIMARY KEY,
    client_id   bigint  NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    day_of_week smallint NOT NULL CHECK (day_of_week BETWEEN 1 AND 7),
    open_time   time    NOT NULL,
    close_time  time    NOT NULL,
    CHECK (open_time < close_time)
);
CREATE INDEX client_schedules_client_idx ON client_schedules (client_id, day_of_week);

CREATE TABLE campaigns (
    id                     bigserial PRIMARY KEY,
    seller_id              bigint      NOT NULL REFERENCES sellers (id),
    name                   text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    direction              text        NOT NULL DEFAULT 'INBOUND' CHECK (direction IN ('INBOUND', 'OUTBOUND')),
    strategy               text        NOT NULL DEFAULT 'PRIORITY'
                                       CHECK (strategy IN ('PRIORITY', 'ROUND_ROBIN', 'WEIGHTED')),
    dial_timeout_seconds   integer     NOT NULL DEFAULT 30 CHECK (dial_timeout_seconds BETWEEN 5 AND 600),
    -- a call is billable when the answered leg's billsec reaches this
    billable_after_seconds integer     NOT NULL DEFAULT 60 CHECK (billable_after_seconds >= 0),
    active                 boolean     NOT NULL DEFAULT true,
    -- outbound settings (ignored for INBOUND campaigns)
    dial_ratio             numeric(4,2) NOT NULL DEFAULT 1.0 CHECK (dial_ratio >= 1.0 AND dial_ratio <= 10.0),
    hopper_level           integer     NOT NULL DEFAULT 100 CHECK (hopper_level BETWEEN 1 AND 100000),
    call_window_start      time        NOT NULL DEFAULT '09:00',
    call_window_end        time        NOT NULL DEFAULT '20:00',
    max_attempts           integer     NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 100),
    retry_busy_seconds     integer     NOT NULL DEFAULT 600 CHECK (retry_busy_seconds >= 0),
    retry_no_answer_seconds integer    NOT NULL DEFAULT 3600 CHECK (retry_no_answer_seconds >= 0),
    retry_failed_seconds   integer     NOT NULL DEFAULT 1800 CHECK (retry_failed_seconds >= 0),
    caller_id              text,
    trunk_id               bigint      REFERENCES trunks (id),
    max_abandon_rate       numeric(5,4) NOT NULL DEFAULT 0.03 CHECK (max_abandon_rate BETWEEN 0 AND 1),
    wrap_up_seconds        integer     NOT NULL DEFAULT 15 CHECK (wrap_up_seconds >= 0),
    abandon_message        text,       -- sound file played to an answered lead no agent could take
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    UNIQUE (seller_id, name)
);
CREATE INDEX campaigns_seller_idx ON campaigns (seller_id);

CREATE TABLE dids (
    id          bigserial PRIMARY KEY,
    number      text        NOT NULL UNIQUE CHECK (number ~ '^\+[1-9][0-9]{6,14}$'),  -- E.164
    seller_id   bigint      NOT NULL REFERENCES sellers (id),
    campaign_id bigint      REFERENCES campaigns (id),
    description text,
    active      boolean     NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dids_campaign_idx ON dids (campaign_id);
CREATE INDEX dids_seller_idx ON dids (seller_id);

-- The link between a campaign and a buyer, with its caps. Counters are maintained by the routing
-- functions (claims): in_flight = calls being offered or talking now, cap_used = answered calls in the
-- current cap window (which starts at cap_window_start, computed in the client's time zone).
CREATE TABLE campaign_client_settings (
    id               bigserial PRIMARY KEY,
    campaign_id      bigint      NOT NULL REFERENCES campaigns (id),
    client_id        bigint      NOT NULL REFERENCES clients (id),
    priority         integer     NOT NULL DEFAULT 1 CHECK (priority >= 0),
    weight           integer     NOT NULL DEFAULT 1 CHECK (weight > 0),
    max_concurrent   integer     NOT NULL DEFAULT 1 CHECK (max_concurrent >= 0),
    total_cap        integer     CHECK (total_cap >= 0),          -- NULL: no cap
    cap_period       text        NOT NULL DEFAULT 'DAY' CHECK (cap_period IN ('HOUR', 'DAY', 'MONTH', 'TOTAL')),
    active           boolean     NOT NULL DEFAULT true,
    in_flight        integer     NOT NULL DEFAULT 0 CHECK (in_flight >= 0),
    cap_used         integer     NOT NULL DEFAULT 0 CHECK (cap_used >= 0),
    cap_window_start timestamptz,
    last_routed_at   timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (campaign_id, client_id)
);
CREATE INDEX campaign_client_settings_client_idx ON campaign_client_settings (client_id);

-- In-flight calls. One row per (call, target tried); the open one (released_at IS NULL) holds a slot of
-- the setting's max_concurrent and, for capped settings, a reservation against total_cap.
-- call_uid is the channel's UNIQUEID (prefixed by the server's systemname when several servers share us).
CREATE TABLE route_claims (
    id           bigserial PRIMARY KEY,
    call_uid     text        NOT NULL,
    setting_id   bigint      NOT NULL REFERENCES campaign_client_settings (id),
    status       text        NOT NULL DEFAULT 'CLAIMED' CHECK (status IN ('CLAIMED', 'ANSWERED', 'RELEASED')),
    claimed_at   timestamptz NOT NULL DEFAULT now(),
    answered_at  timestamptz,
    released_at  timestamptz,
    release_reason text
);
-- one open claim per call: a call is offered to one target at a time
CREATE UNIQUE INDEX route_claims_open_call_uidx ON route_claims (call_uid) WHERE released_at IS NULL;
CREATE INDEX route_claims_open_setting_idx ON route_claims (setting_id) WHERE released_at IS NULL;
CREATE INDEX route_claims_call_idx ON route_claims (call_uid);

-- leads ---------------------------------------------------------------------------------------------

CREATE TABLE lead_lists (
    id             bigserial PRIMARY KEY,
    seller_id      bigint      REFERENCES sellers (id),       -- NULL: a house list of the staff
    name           text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    default_region char(2)     NOT NULL DEFAULT 'US',         -- libphonenumber region for numbers without +
    active         boolean     NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX lead_lists_name_uidx ON lead_lists (coalesce(seller_id, 0), name);

CREATE TABLE campaign_lead_lists (
    campaign_id bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    list_id     bigint NOT NULL REFERENCES lead_lists (id) ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, list_id)
);
CREATE INDEX campaign_lead_lists_list_idx ON campaign_lead_lists (list_id);

CREATE TABLE leads (
    id              bigserial PRIMARY KEY,
    list_id         bigint      NOT NULL REFERENCES lead_lists (id),
    phone           text        NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),   -- E.164
    time_zone       text,                       -- IANA zone derived from the number / postal code
    first_name      text,
    last_name       text,
    full_name       text,
    email           text,
    address         text,
    city            text,
    state           text,
    postal_code     text,
    country         text,
    extra           jsonb       NOT NULL DEFAULT '{}',  -- columns the import did not map
    status          text        NOT NULL DEFAULT 'NEW'
                                CHECK (status IN ('NEW', 'QUEUED', 'RETRY', 'DONE', 'DNC', 'INVALID')),
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_attempt_at timestamptz,
    next_attempt_at timestamptz,
    last_outcome    text,
    source_row      integer,                    -- spreadsheet row it came from
    import_execution_id bigint,                 -- BATCH_JOB_EXECUTION that created it
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (list_id, phone)
);
-- the hopper fill scans only dialable leads, oldest / least-attempted first
CREATE INDEX leads_dialable_idx ON leads (list_id, attempts, next_attempt_at, id)
    WHERE status IN ('NEW', 'RETRY');
CREATE INDEX leads_list_status_idx ON leads (list_id, status, id);
CREATE INDEX leads_phone_idx ON leads (phone);

CREATE TABLE dnc_numbers (
    phone      text        PRIMARY KEY CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    source     text        NOT NULL DEFAULT 'manual',
    reason     text,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- dialer --------------------------------------------------------------------------------------------

CREATE TABLE agents (
    id               bigserial PRIMARY KEY,
    name             text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    extension        text        NOT NULL UNIQUE CHECK (extension ~ '^[0-9]{2,10}$'),
    endpoint         text        NOT NULL UNIQUE,       -- ps_endpoints.id, e.g. agent-1001
    state            text        NOT NULL DEFAULT 'OFFLINE'
                                 CHECK (state IN ('OFFLINE', 'AVAILABLE', 'ON_CALL', 'WRAP_UP', 'PAUSED')),
    pause_reason     text,
    state_changed_at timestamptz NOT NULL DEFAULT now(),
    current_channel  text,
    active           boolean     NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT agents_pause_reason CHECK (state = 'PAUSED' OR pause_reason IS NULL)
);
CREATE INDEX agents_available_idx ON agents (state) WHERE active;

CREATE TABLE agent_campaigns (
    agent_id    bigint NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    campaign_id bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    PRIMARY KEY (agent_id, campaign_id)
);
CREATE INDEX agent_campaigns_campaign_idx ON agent_campaigns (campaign_id);

-- The hopper. QUEUED entries wait; DIALING ones were handed to AMI (channel_id is our Originate
-- ChannelId, so the CDR's uniqueid leads back here); DONE ones keep their outcome.
CREATE TABLE outbound_queue (
    id            bigserial PRIMARY KEY,
    campaign_id   bigint      NOT NULL REFERENCES campaigns (id),
    lead_id       bigint      NOT NULL REFERENCES leads (id),
    status        text        NOT NULL DEFAULT 'QUEUED' CHECK (status IN ('QUEUED', 'DIALING', 'DONE')),
    priority      integer     NOT NULL DEFAULT 0,
    queued_at     timestamptz NOT NULL DEFAULT now(),
    dialing_at    timestamptz,
    done_at       timestamptz,
    server_id     bigint      REFERENCES asterisk_servers (id),
    channel_id    text        UNIQUE,
    agent_id      bigint      REFERENCES agents (id),
    outcome       text,       -- ANSWERED, BUSY, NO_ANSWER, FAILED, ABANDONED, DNC, CANCELLED
    hangup_cause  integer
);
-- a lead is in the hopper at most once at a time
CREATE UNIQUE INDEX outbound_queue_live_lead_uidx ON outbound_queue (lead_id) WHERE status <> 'DONE';
CREATE INDEX outbound_queue_handout_idx ON outbound_queue (campaign_id, priority DESC, id) WHERE status = 'QUEUED';
CREATE INDEX outbound_queue_dialing_idx ON outbound_queue (server_id, dialing_at) WHERE status = 'DIALING';

-- calls ---------------------------------------------------------------------------------------------

-- One row per call, rebuilt by CDR reconciliation from every cdr row of its linked id.
CREATE TABLE call_logs (
    id              bigserial PRIMARY KEY,
    linked_id       text        NOT NULL UNIQUE,
    direction       text        NOT NULL CHECK (direction IN ('INBOUND', 'OUTBOUND')),
    seller_id       bigint      REFERENCES sellers (id),
    campaign_id     bigint      REFERENCES campaigns (id),
    did_id          bigint      REFERENCES dids (id),
    did_number      text,
    caller_id       text,
    destination     text,
    client_id       bigint      REFERENCES clients (id),   -- the client that answered
    setting_id      bigint      REFERENCES campaign_client_settings (id),
    clients_tried   bigint[]    NOT NULL DEFAULT '{}',      -- in the order they were offered the call
    targets_tried   integer     NOT NULL DEFAULT 0,
    agent_id        bigint      REFERENCES agents (id),
    lead_id         bigint      REFERENCES leads (id),
    queue_entry_id  bigint      REFERENCES outbound_queue (id),
    start_time      timestamptz NOT NULL,
    answer_time     timestamptz,
    end_time        timestamptz,
    duration        integer     NOT NULL DEFAULT 0,
    billsec         integer     NOT NULL DEFAULT 0,
    disposition     text        NOT NULL,                   -- ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION, UNROUTED
    hangup_cause    text,
    unrouted_reason text,                                    -- UNKNOWN_DID, CAPPED, SCHEDULE, NO_TARGET, ...
    billable        boolean     NOT NULL DEFAULT false,
    recording_file  text,
    cdr_rows        integer     NOT NULL DEFAULT 0,
    last_cdr_id     bigint      NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- keyset pagination: newest first, by time then id, with the usual filters in front
CREATE INDEX call_logs_start_idx ON call_logs (start_time DESC, id DESC);
CREATE INDEX call_logs_seller_start_idx ON call_logs (seller_id, start_time DESC, id DESC);
CREATE INDEX call_logs_campaign_start_idx ON call_logs (campaign_id, start_time DESC, id DESC);
CREATE INDEX call_logs_client_start_idx ON call_logs (client_id, start_time DESC, id DESC);

CREATE TABLE recordings (
    id          bigserial PRIMARY KEY,
    linked_id   text        NOT NULL,
    call_log_id bigint      REFERENCES call_logs (id) ON DELETE SET NULL,
    file_name   text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (linked_id, file_name)
);
CREATE INDEX recordings_call_log_idx ON recordings (call_log_id);

-- system --------------------------------------------------------------------------------------------

-- One-time facts about this database (e.g. that the demo data was loaded), so a restart never repeats them.
CREATE TABLE app_state (
    key        text        PRIMARY KEY,
    value      text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Start of the cap window that contains p_at, in the client's time zone (DST-correct: date_trunc with a
-- zone). TOTAL windows never roll. Routing claims roll a setting's window lazily with this; the cap reset
-- job rolls them eagerly so counters read right; both agree because both use this one definition.
CREATE FUNCTION cap_window_start(p_period text, p_time_zone text, p_at timestamptz)
RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE p_period
               WHEN 'TOTAL' THEN '-infinity'::timestamptz
               ELSE date_trunc(lower(p_period), p_at, p_time_zone)
           END
$$;
