-- Asterisk 22 PJSIP realtime tables, exactly as the official schema for PostgreSQL has them
-- (asterisk/asterisk contrib/realtime/postgresql/postgresql_config.sql, i.e. the alembic chain in
-- contrib/ast-db-manage/config/versions applied in order): names, types, enum types, UNIQUE (id) and the
-- <table>_id indexes (the official tables have no primary keys). Asterisk reads these through
-- extconfig.conf / sorcery.conf (asterisk-conf/); CapConduit writes them only through the telephony
-- feature, derived from clients, agents and trunks.
--
-- Columns added to ps_endpoints by later alembic revisions of the 22 series are included at the end, and the
-- three that one revision (8617e26c49f0) drops are kept: res_sorcery_realtime ignores fields it does not
-- know, while a field Asterisk asks for by name must exist, so the superset is the safe shape for every 22.x.

-- ---------------------------------------------------------------- ENUM types
-- yesno_values: created by 43956d550a44; no longer used by these 6 tables after
-- 74dc751dfe8e (all yesno columns converted to ast_bool_values); still used by other tables (queues...).
CREATE TYPE yesno_values AS ENUM ('yes', 'no');
-- ast_bool_values: created by fe6592859b85, never altered.
CREATE TYPE ast_bool_values AS ENUM ('0', '1', 'off', 'on', 'false', 'true', 'no', 'yes');
CREATE TYPE pjsip_connected_line_method_values AS ENUM ('invite', 'reinvite', 'update');
CREATE TYPE pjsip_direct_media_glare_mitigation_values AS ENUM ('none', 'outgoing', 'incoming');
-- dtmf: pjsip_dtmf_mode_values (v1) -> _v2 (31cd4f4891ec, +auto) -> _v3 (164abbd708c, +auto_info); v1/v2 dropped
CREATE TYPE pjsip_dtmf_mode_values_v3 AS ENUM ('rfc4733', 'inband', 'info', 'auto', 'auto_info');
CREATE TYPE pjsip_timer_values AS ENUM ('forced', 'no', 'required', 'yes');
CREATE TYPE pjsip_cid_privacy_values AS ENUM ('allowed_not_screened', 'allowed_passed_screened', 'allowed_failed_screened', 'allowed', 'prohib_not_screened', 'prohib_passed_screened', 'prohib_failed_screened', 'prohib', 'unavailable');
-- 100rel: pjsip_100rel_values -> pjsip_100rel_values_v2 (539f68bede2c, +peer_supported); v1 dropped
CREATE TYPE pjsip_100rel_values_v2 AS ENUM ('no', 'required', 'peer_supported', 'yes');
CREATE TYPE pjsip_media_encryption_values AS ENUM ('no', 'sdes', 'dtls');
CREATE TYPE pjsip_t38udptl_ec_values AS ENUM ('none', 'fec', 'redundancy');
CREATE TYPE pjsip_dtls_setup_values AS ENUM ('active', 'passive', 'actpass');
CREATE TYPE pjsip_redirect_method_values AS ENUM ('user', 'uri_core', 'uri_pjsip');
CREATE TYPE sha_hash_values AS ENUM ('SHA-1', 'SHA-256');
CREATE TYPE pjsip_incoming_call_offer_pref_values AS ENUM ('local', 'local_first', 'remote', 'remote_first');
CREATE TYPE pjsip_outgoing_call_offer_pref_values AS ENUM ('local', 'local_merge', 'local_first', 'remote', 'remote_merge', 'remote_first');
CREATE TYPE security_negotiation_values AS ENUM ('no', 'mediasec');
-- auth: pjsip_auth_type_values -> pjsip_auth_type_values_v2 (465f47f880be, +google_oauth); v1 dropped
CREATE TYPE pjsip_auth_type_values_v2 AS ENUM ('md5', 'userpass', 'google_oauth');
-- (pjsip_identify_by_values was DROPPED by 52798ad97bdf: ps_endpoints.identify_by is varchar(80))

-- ---------------------------------------------------------------- ps_endpoints
CREATE TABLE ps_endpoints (
    id VARCHAR(255) NOT NULL,
    transport VARCHAR(40),
    aors VARCHAR(2048),
    auth VARCHAR(255),
    context VARCHAR(40),
    disallow VARCHAR(200),
    allow VARCHAR(200),
    direct_media ast_bool_values,
    connected_line_method pjsip_connected_line_method_values,
    direct_media_method pjsip_connected_line_method_values,
    direct_media_glare_mitigation pjsip_direct_media_glare_mitigation_values,
    disable_direct_media_on_nat ast_bool_values,
    dtmf_mode pjsip_dtmf_mode_values_v3,
    external_media_address VARCHAR(40),
    force_rport ast_bool_values,
    ice_support ast_bool_values,
    identify_by VARCHAR(80),
    mailboxes VARCHAR(40),
    moh_suggest VARCHAR(40),
    outbound_auth VARCHAR(255),
    outbound_proxy VARCHAR(255),
    rewrite_contact ast_bool_values,
    rtp_ipv6 ast_bool_values,
    rtp_symmetric ast_bool_values,
    send_diversion ast_bool_values,
    send_pai ast_bool_values,
    send_rpid ast_bool_values,
    timers_min_se INTEGER,
    timers pjsip_timer_values,
    timers_sess_expires INTEGER,
    callerid VARCHAR(40),
    callerid_privacy pjsip_cid_privacy_values,
    callerid_tag VARCHAR(40),
    "100rel" pjsip_100rel_values_v2,
    aggregate_mwi ast_bool_values,
    trust_id_inbound ast_bool_values,
    trust_id_outbound ast_bool_values,
    use_ptime ast_bool_values,
    use_avpf ast_bool_values,
    media_encryption pjsip_media_encryption_values,
    inband_progress ast_bool_values,
    call_group VARCHAR(40),
    pickup_group VARCHAR(40),
    named_call_group VARCHAR(40),
    named_pickup_group VARCHAR(40),
    device_state_busy_at INTEGER,
    fax_detect ast_bool_values,
    t38_udptl ast_bool_values,
    t38_udptl_ec pjsip_t38udptl_ec_values,
    t38_udptl_maxdatagram INTEGER,
    t38_udptl_nat ast_bool_values,
    t38_udptl_ipv6 ast_bool_values,
    tone_zone VARCHAR(40),
    language VARCHAR(40),
    one_touch_recording ast_bool_values,
    record_on_feature VARCHAR(40),
    record_off_feature VARCHAR(40),
    rtp_engine VARCHAR(40),
    allow_transfer ast_bool_values,
    allow_subscribe ast_bool_values,
    sdp_owner VARCHAR(40),
    sdp_session VARCHAR(40),
    tos_audio VARCHAR(10),
    tos_video VARCHAR(10),
    sub_min_expiry INTEGER,
    from_domain VARCHAR(40),
    from_user VARCHAR(40),
    mwi_from_user VARCHAR(40),
    dtls_verify VARCHAR(40),
    dtls_rekey VARCHAR(40),
    dtls_cert_file VARCHAR(200),
    dtls_private_key VARCHAR(200),
    dtls_cipher VARCHAR(200),
    dtls_ca_file VARCHAR(200),
    dtls_ca_path VARCHAR(200),
    dtls_setup pjsip_dtls_setup_values,
    srtp_tag_32 ast_bool_values,
    media_address VARCHAR(40),
    redirect_method pjsip_redirect_method_values,
    set_var TEXT,
    cos_audio INTEGER,
    cos_video INTEGER,
    message_context VARCHAR(40),
    force_avp ast_bool_values,
    media_use_received_transport ast_bool_values,
    accountcode VARCHAR(80),
    user_eq_phone ast_bool_values,
    moh_passthrough ast_bool_values,
    media_encryption_optimistic ast_bool_values,
    rpid_immediate ast_bool_values,
    g726_non_standard ast_bool_values,
    rtp_keepalive INTEGER,
    rtp_timeout INTEGER,
    rtp_timeout_hold INTEGER,
    bind_rtp_to_media_address ast_bool_values,
    voicemail_extension VARCHAR(40),
    mwi_subscribe_replaces_unsolicited ast_bool_values,
    deny VARCHAR(95),
    permit VARCHAR(95),
    acl VARCHAR(40),
    contact_deny VARCHAR(95),
    contact_permit VARCHAR(95),
    contact_acl VARCHAR(40),
    subscribe_context VARCHAR(40),
    fax_detect_timeout INTEGER,
    contact_user VARCHAR(80),
    preferred_codec_only ast_bool_values,
    asymmetric_rtp_codec ast_bool_values,
    rtcp_mux ast_bool_values,
    allow_overlap ast_bool_values,
    refer_blind_progress ast_bool_values,
    notify_early_inuse_ringing ast_bool_values,
    max_audio_streams INTEGER,
    max_video_streams INTEGER,
    webrtc ast_bool_values,
    dtls_fingerprint sha_hash_values,
    incoming_mwi_mailbox VARCHAR(40),
    bundle ast_bool_values,
    dtls_auto_generate_cert ast_bool_values,
    follow_early_media_fork ast_bool_values,
    accept_multiple_sdp_answers ast_bool_values,
    suppress_q850_reason_headers ast_bool_values,
    trust_connected_line ast_bool_values,
    send_connected_line ast_bool_values,
    ignore_183_without_sdp ast_bool_values,
    codec_prefs_incoming_offer VARCHAR(128),
    codec_prefs_outgoing_offer VARCHAR(128),
    codec_prefs_incoming_answer VARCHAR(128),
    codec_prefs_outgoing_answer VARCHAR(128),
    stir_shaken ast_bool_values,
    send_history_info ast_bool_values,
    allow_unauthenticated_options ast_bool_values,
    t38_bind_udptl_to_media_address ast_bool_values,
    geoloc_incoming_call_profile VARCHAR(80),
    geoloc_outgoing_call_profile VARCHAR(80),
    incoming_call_offer_pref pjsip_incoming_call_offer_pref_values,
    outgoing_call_offer_pref pjsip_outgoing_call_offer_pref_values,
    stir_shaken_profile VARCHAR(80),
    security_negotiation security_negotiation_values,
    security_mechanisms VARCHAR(512),
    send_aoc ast_bool_values,
    overlap_context VARCHAR(80),
    tenantid VARCHAR(80),
    suppress_moh_on_sendonly ast_bool_values,
    UNIQUE (id)
);
CREATE INDEX ps_endpoints_id ON ps_endpoints (id);

-- ---------------------------------------------------------------- ps_auths
CREATE TABLE ps_auths (
    id VARCHAR(255) NOT NULL,
    auth_type pjsip_auth_type_values_v2,
    nonce_lifetime INTEGER,
    md5_cred VARCHAR(40),
    password VARCHAR(80),
    realm VARCHAR(255),
    username VARCHAR(40),
    refresh_token VARCHAR(255),
    oauth_clientid VARCHAR(255),
    oauth_secret VARCHAR(255),
    password_digest VARCHAR(1024),
    supported_algorithms_uas VARCHAR(1024),
    supported_algorithms_uac VARCHAR(1024),
    UNIQUE (id)
);
CREATE INDEX ps_auths_id ON ps_auths (id);

-- ---------------------------------------------------------------- ps_aors
CREATE TABLE ps_aors (
    id VARCHAR(255) NOT NULL,
    contact VARCHAR(255),
    default_expiration INTEGER,
    mailboxes VARCHAR(80),
    max_contacts INTEGER,
    minimum_expiration INTEGER,
    remove_existing ast_bool_values,
    qualify_frequency INTEGER,
    authenticate_qualify ast_bool_values,
    maximum_expiration INTEGER,
    outbound_proxy VARCHAR(255),
    support_path ast_bool_values,
    qualify_timeout FLOAT,
    voicemail_extension VARCHAR(40),
    remove_unavailable ast_bool_values,
    qualify_2xx_only ast_bool_values,
    UNIQUE (id)
);
CREATE INDEX ps_aors_id ON ps_aors (id);
CREATE INDEX ps_aors_qualifyfreq_contact ON ps_aors (qualify_frequency, contact);

-- ---------------------------------------------------------------- ps_contacts
CREATE TABLE ps_contacts (
    id VARCHAR(255) NOT NULL,
    uri VARCHAR(511),
    expiration_time BIGINT,
    qualify_frequency INTEGER,
    outbound_proxy VARCHAR(255),
    path TEXT,
    user_agent VARCHAR(255),
    qualify_timeout FLOAT,
    reg_server VARCHAR(255),
    authenticate_qualify ast_bool_values,
    via_addr VARCHAR(40),
    via_port INTEGER,
    call_id VARCHAR(255),
    endpoint VARCHAR(255),
    prune_on_boot ast_bool_values,
    qualify_2xx_only ast_bool_values,
    UNIQUE (id)
);
CREATE INDEX ps_contacts_id ON ps_contacts (id);
ALTER TABLE ps_contacts ADD CONSTRAINT ps_contacts_uq UNIQUE (id, reg_server);
CREATE INDEX ps_contacts_qualifyfreq_exp ON ps_contacts (qualify_frequency, expiration_time);

-- ---------------------------------------------------------------- ps_domain_aliases
CREATE TABLE ps_domain_aliases (
    id VARCHAR(255) NOT NULL,
    domain VARCHAR(255),
    UNIQUE (id)
);
CREATE INDEX ps_domain_aliases_id ON ps_domain_aliases (id);

-- ---------------------------------------------------------------- ps_endpoint_id_ips
-- ('transport' VARCHAR(128) was added by d5122576cca8 and dropped again by bd9c5159c7ea)
CREATE TABLE ps_endpoint_id_ips (
    id VARCHAR(255) NOT NULL,
    endpoint VARCHAR(255),
    match VARCHAR(80),
    srv_lookups ast_bool_values,
    match_header VARCHAR(255),
    match_request_uri VARCHAR(255),
    UNIQUE (id)
);
CREATE INDEX ps_endpoint_id_ips_id ON ps_endpoint_id_ips (id);

-- Later 22.x additions to ps_endpoints (alembic bb6d54e22913, e89e30cee53f, 65b5ac60e54a, 1e65f5e27981,
-- a7c24e6f8b91).
ALTER TABLE ps_endpoints ADD COLUMN follow_redirect_methods VARCHAR(95);
ALTER TABLE ps_endpoints ADD COLUMN rtp_port_start INTEGER;
ALTER TABLE ps_endpoints ADD COLUMN rtp_port_end INTEGER;
ALTER TABLE ps_endpoints ADD COLUMN tos_text VARCHAR(10);
ALTER TABLE ps_endpoints ADD COLUMN cos_text INTEGER;
ALTER TABLE ps_endpoints ADD COLUMN max_text_streams INTEGER;
ALTER TABLE ps_endpoints ADD COLUMN timers_refresher VARCHAR(40);
ALTER TABLE ps_endpoints ADD COLUMN ice_lite yesno_values;
