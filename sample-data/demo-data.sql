-- CapConduit demo data: loaded once, on first start against an empty database (capconduit.demo-data.enabled).
-- The demo users are in demo-users.sql. Hosts under .example are placeholders for your buyers' SBCs.

INSERT INTO sellers (name, email, time_zone) VALUES
    ('Acme Leads',   'ops@acme-leads.example',   'America/New_York'),
    ('Bright Media', 'calls@bright-media.example', 'America/Los_Angeles');

INSERT INTO clients (name, time_zone, endpoint, sip_mode, sip_host, sip_port, sip_user, max_contacts) VALUES
    ('Sunrise Insurance Call Center', 'America/New_York',    'client-sunrise',  'STATIC',   'sbc.sunrise.example', 5060, NULL, 1),
    ('Pacific Home Services',         'America/Los_Angeles', 'client-pacific',  'STATIC',   'sbc.pacific.example', 5060, 'inbound', 1),
    ('Lone Star Solar',               'America/Chicago',     'client-lonestar', 'REGISTER', NULL, NULL, NULL, 3);

-- Pacific takes calls on weekdays 08:00-18:00 Pacific time only
INSERT INTO client_schedules (client_id, day_of_week, open_time, close_time)
SELECT c.id, d, '08:00', '18:00' FROM clients c, generate_series(1, 5) d WHERE c.name = 'Pacific Home Services';

INSERT INTO trunks (name, endpoint, host, port, match_ips) VALUES
    ('Demo Carrier', 'trunk-demo-carrier', 'sip.carrier.example', 5060, '{192.0.2.10/32,192.0.2.11/32}');

INSERT INTO asterisk_servers (name, host, ami_port, ami_username, ami_secret, system_name) VALUES
    ('pbx1', '127.0.0.1', 5038, 'capconduit', 'demo-ami-secret', 'pbx1');

INSERT INTO campaigns (seller_id, name, direction, strategy, dial_timeout_seconds, billable_after_seconds) VALUES
    ((SELECT id FROM sellers WHERE name = 'Acme Leads'),   'Auto Insurance', 'INBOUND', 'PRIORITY',    25, 90),
    ((SELECT id FROM sellers WHERE name = 'Acme Leads'),   'Home Warranty',  'INBOUND', 'WEIGHTED',    30, 60),
    ((SELECT id FROM sellers WHERE name = 'Bright Media'), 'Solar Savings',  'INBOUND', 'ROUND_ROBIN', 30, 120);

INSERT INTO campaigns (seller_id, name, direction, strategy, dial_ratio, hopper_level, call_window_start,
                       call_window_end, max_attempts, caller_id, trunk_id) VALUES
    ((SELECT id FROM sellers WHERE name = 'Bright Media'), 'Solar Callbacks', 'OUTBOUND', 'PRIORITY', 1.5, 50,
     '09:00', '20:00', 3, '+18005550199', (SELECT id FROM trunks WHERE name = 'Demo Carrier'));

INSERT INTO dids (number, seller_id, campaign_id, description) VALUES
    ('+18005550101', (SELECT id FROM sellers WHERE name = 'Acme Leads'),
        (SELECT id FROM campaigns WHERE name = 'Auto Insurance'), 'Auto TV spot'),
    ('+18005550102', (SELECT id FROM sellers WHERE name = 'Acme Leads'),
        (SELECT id FROM campaigns WHERE name = 'Auto Insurance'), 'Auto radio spot'),
    ('+18005550103', (SELECT id FROM sellers WHERE name = 'Acme Leads'),
        (SELECT id FROM campaigns WHERE name = 'Home Warranty'), 'Warranty mailer'),
    ('+18005550201', (SELECT id FROM sellers WHERE name = 'Bright Media'),
        (SELECT id FROM campaigns WHERE name = 'Solar Savings'), 'Solar landing page'),
    ('+18005550202', (SELECT id FROM sellers WHERE name = 'Bright Media'), NULL, 'Not yet assigned');

INSERT INTO campaign_client_settings (campaign_id, client_id, priority, weight, max_concurrent, total_cap, cap_period)
SELECT cp.id, cl.id, s.priority, s.weight, s.max_concurrent, s.total_cap, s.cap_period
FROM (VALUES
        ('Auto Insurance', 'Sunrise Insurance Call Center', 1, 1, 5,  100,  'DAY'),
        ('Auto Insurance', 'Pacific Home Services',         2, 1, 3,  50,   'DAY'),
        ('Home Warranty',  'Pacific Home Services',         1, 3, 4,  NULL, 'DAY'),
        ('Home Warranty',  'Lone Star Solar',               1, 1, 2,  200,  'MONTH'),
        ('Solar Savings',  'Lone Star Solar',               1, 1, 10, 30,   'HOUR'),
        ('Solar Savings',  'Sunrise Insurance Call Center', 1, 1, 2,  NULL, 'DAY')
     ) AS s (campaign, client, priority, weight, max_concurrent, total_cap, cap_period)
JOIN campaigns cp ON cp.name = s.campaign
JOIN clients cl ON cl.name = s.client;

INSERT INTO agents (name, extension, endpoint) VALUES
    ('Dana Agent', '1001', 'agent-1001'),
    ('Eli Agent',  '1002', 'agent-1002');

INSERT INTO agent_campaigns (agent_id, campaign_id)
SELECT a.id, c.id FROM agents a, campaigns c WHERE c.name = 'Solar Callbacks';

INSERT INTO lead_lists (seller_id, name, default_region) VALUES
    ((SELECT id FROM sellers WHERE name = 'Bright Media'), 'Solar prospects', 'US');

INSERT INTO campaign_lead_lists (campaign_id, list_id)
SELECT c.id, l.id FROM campaigns c, lead_lists l WHERE c.name = 'Solar Callbacks' AND l.name = 'Solar prospects';
