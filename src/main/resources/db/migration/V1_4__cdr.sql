-- The table cdr_adaptive_odbc writes (asterisk-conf/cdr_adaptive_odbc.conf, usegmtime=yes: times are UTC).
-- Standard columns as in Asterisk's contrib/realtime/postgresql/postgresql_cdr.sql, then:
--   id: bigserial, so reconciliation reads new rows incrementally (cdr_adaptive_odbc leaves it to its default);
--   custom columns filled from CDR(name) variables set by the dialplan. They are text on purpose: a bad value
--   must never make Asterisk's insert fail (that would lose the CDR); reconciliation validates and reports.
-- One row per Dial attempt: a call that failed over twice has three rows sharing uniqueid/linkedid.
CREATE TABLE cdr (
    accountcode    varchar(80),
    src            varchar(80),
    dst            varchar(80),
    dcontext       varchar(80),
    clid           varchar(80),
    channel        varchar(80),
    dstchannel     varchar(80),
    lastapp        varchar(80),
    lastdata       varchar(80),
    start          timestamp without time zone,
    answer         timestamp without time zone,
    "end"          timestamp without time zone,
    duration       integer,
    billsec        integer,
    disposition    varchar(45),
    amaflags       varchar(45),
    userfield      varchar(256),
    uniqueid       varchar(150),
    linkedid       varchar(150),
    peeraccount    varchar(80),
    sequence       integer,
    -- CapConduit
    id             bigserial PRIMARY KEY,
    direction      varchar(16),     -- INBOUND / OUTBOUND
    campaign_id    varchar(40),
    setting_id     varchar(40),
    client_id      varchar(40),
    seller_id      varchar(40),
    did            varchar(40),
    strategy       varchar(20),
    targets_tried  varchar(10),
    route_status   varchar(20),     -- ROUTED, UNROUTED
    unrouted_reason varchar(40),    -- UNKNOWN_DID, INACTIVE_DID, NO_CAMPAIGN, NO_TARGET, ALL_FAILED
    queue_entry_id varchar(40),
    lead_id        varchar(40),
    agent_id       varchar(40),
    recording_file varchar(255)
);
CREATE INDEX cdr_linkedid_idx ON cdr (linkedid);
