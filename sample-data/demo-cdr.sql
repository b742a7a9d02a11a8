-- Sample CDR rows as cdr_adaptive_odbc writes them (times UTC, one row per Dial attempt; an inbound call's last
-- row carries in userfield the Q.850 cause its hangup handler wrote: 16 normal clearing, 1 unallocated number; its
-- dst is the s the dialplan had moved the call to, the DID as the carrier sent it is in dialed_number). The
-- cdrReconciliationJob turns them into four call logs on its first run after start-up:
--   pbx1-1763650931.1  Auto Insurance: Sunrise did not answer, failed over to Pacific, which answered 45 s (not billable: 90 s)
--   pbx1-1763651400.4  Home Warranty: Lone Star Solar answered, 185 s (billable: 60 s), recorded
--   pbx1-1763652000.6  a call to +18005550202, a DID with no campaign: unrouted
--   demo-outbound-1    Solar Callbacks dialer call to a lead, no answer: the queue entry is settled, the lead set to RETRY.
--                      The lead never answered, so its channel never ran the dialplan that stamps CDR variables:
--                      its row is the Originate's (ChannelId demo-outbound-1, exten s), known by the queue entry's
--                      channel_id alone

-- the lead and queue entry of the outbound call (the dialer counted the attempt when it originated)
INSERT INTO leads (list_id, phone, time_zone, first_name, last_name, status, attempts, last_attempt_at)
SELECT id, '+15125550142', 'America/Chicago', 'Jamie', 'Demo', 'QUEUED', 1, '2026-11-20 16:40:00+00'
FROM lead_lists WHERE name = 'Solar prospects'
ON CONFLICT (list_id, phone) DO NOTHING;

INSERT INTO outbound_queue (campaign_id, lead_id, status, dialing_at, server_id, channel_id)
SELECT cp.id, l.id, 'DIALING', '2026-11-20 16:40:00+00', (SELECT id FROM asterisk_servers WHERE name = 'pbx1'),
       'demo-outbound-1'
FROM campaigns cp, leads l JOIN lead_lists ll ON ll.id = l.list_id
WHERE cp.name = 'Solar Callbacks' AND ll.name = 'Solar prospects' AND l.phone = '+15125550142'
  AND NOT EXISTS (SELECT 1 FROM outbound_queue q WHERE q.lead_id = l.id AND q.status <> 'DONE');

INSERT INTO cdr (src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, "end",
                 duration, billsec, disposition, amaflags, uniqueid, linkedid, sequence,
                 direction, campaign_id, setting_id, client_id, seller_id, did, strategy, targets_tried,
                 route_status, unrouted_reason, queue_entry_id, lead_id, recording_file, userfield, dialed_number)
SELECT v.src, v.dst, v.dcontext, v.src, v.channel, v.dstchannel, v.lastapp, v.lastdata, v.start::timestamp,
       v.answer::timestamp, v.ended::timestamp, v.duration, v.billsec, v.disposition, 'DOCUMENTATION',
       v.uniqueid, v.uniqueid, v.sequence, v.direction,
       cp.id::text, st.id::text, cl.id::text, cp.seller_id::text, v.did, cp.strategy, v.targets,
       v.route_status, v.unrouted_reason, NULL, NULL, v.recording, v.cause, v.dialed
FROM (VALUES
    ('+12125550181', 's', 'inbound-route', 'PJSIP/trunk-demo-carrier-00000001', 'PJSIP/client-sunrise-00000002',
     'Dial', 'PJSIP/client-sunrise,20',
     '2026-11-20 15:02:11', '1970-01-01 00:00:00', '2026-11-20 15:02:36', 25, 0, 'NO ANSWER', 'pbx1-1763650931.1', 1,
     'INBOUND', 'Auto Insurance', 'Sunrise Insurance Call Center', '+18005550101', '1', 'ROUTED', NULL, NULL, NULL,
     '+18005550101'),
    ('+12125550181', 's', 'inbound-route', 'PJSIP/trunk-demo-carrier-00000001', 'PJSIP/client-pacific-00000003',
     'Dial', 'PJSIP/client-pacific,20',
     '2026-11-20 15:02:36', '2026-11-20 15:02:44', '2026-11-20 15:03:29', 53, 45, 'ANSWERED', 'pbx1-1763650931.1', 2,
     'INBOUND', 'Auto Insurance', 'Pacific Home Services', '+18005550101', '2', 'ROUTED', NULL, NULL, '16',
     '+18005550101'),
    ('+13125550107', 's', 'inbound-route', 'PJSIP/trunk-demo-carrier-00000004', 'PJSIP/client-lonestar-00000005',
     'Dial', 'PJSIP/client-lonestar,20',
     '2026-11-20 15:10:00', '2026-11-20 15:10:09', '2026-11-20 15:13:14', 194, 185, 'ANSWERED', 'pbx1-1763651400.4', 3,
     'INBOUND', 'Home Warranty', 'Lone Star Solar', '+18005550103', '1', 'ROUTED', NULL,
     'pbx1-1763651400.4.wav', '16', '+18005550103'),
    ('+14155550133', 's', 'route-hangup', 'PJSIP/trunk-demo-carrier-00000006', '',
     'Hangup', '1',
     '2026-11-20 15:20:00', '2026-11-20 15:20:01', '2026-11-20 15:20:06', 6, 5, 'ANSWERED', 'pbx1-1763652000.6', 4,
     'INBOUND', NULL, NULL, '+18005550202', '0', 'UNROUTED', 'NO_CAMPAIGN', NULL, '1', '+18005550202'),
    ('+18005550199', 's', 'capconduit-outbound-answered', 'PJSIP/trunk-demo-carrier-00000007', '',
     'AppDial2', '(Outgoing Line)',
     '2026-11-20 16:40:00', '1970-01-01 00:00:00', '2026-11-20 16:40:30', 30, 0, 'NO ANSWER', 'demo-outbound-1', 5,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
) AS v (src, dst, dcontext, channel, dstchannel, lastapp, lastdata, start, answer, ended, duration, billsec,
        disposition, uniqueid, sequence, direction, campaign, client, did, targets, route_status, unrouted_reason,
        recording, cause, dialed)
LEFT JOIN campaigns cp ON cp.name = v.campaign
LEFT JOIN clients cl ON cl.name = v.client
LEFT JOIN campaign_client_settings st ON st.campaign_id = cp.id AND st.client_id = cl.id
ORDER BY v.sequence;
