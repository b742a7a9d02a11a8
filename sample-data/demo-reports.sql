-- Reports demo (issue 8): a week of inbound call logs for the demo campaigns, ending at first start, so the
-- report and export queries show numbers before any real call arrives. Real call logs come from CDR
-- reconciliation; these carry linked ids 'demo-report-<n>' and no CDR rows.
INSERT INTO call_logs (linked_id, direction, seller_id, campaign_id, did_id, did_number, caller_id, destination,
                       client_id, setting_id, clients_tried, targets_tried, start_time, answer_time, end_time, duration,
                       billsec, disposition, hangup_cause, unrouted_reason, billable, cdr_rows)
SELECT 'demo-report-' || n, 'INBOUND', d.seller_id, d.campaign_id, d.id, d.number,
       '+1212555' || lpad((n % 10000)::text, 4, '0'), d.number,
       CASE WHEN outcome < 70 THEN s.client_id END, CASE WHEN outcome < 70 THEN s.id END,
       CASE WHEN outcome < 85 THEN ARRAY[s.client_id] ELSE '{}' END, CASE WHEN outcome < 85 THEN 1 ELSE 0 END,
       t, CASE WHEN outcome < 70 THEN t + interval '4 seconds' END,
       t + make_interval(secs => 4 + talk), 4 + talk, talk,
       CASE WHEN outcome < 70 THEN 'ANSWERED' WHEN outcome < 85 THEN 'NO ANSWER' ELSE 'UNROUTED' END,
       -- the Q.850 cause the dialplan writes: normal clearing, no answer, or 34 when no buyer could take the call
       CASE WHEN outcome < 70 THEN '16' WHEN outcome < 85 THEN '19' ELSE '34' END,
       CASE WHEN outcome >= 85 THEN (ARRAY['CAPPED', 'SCHEDULE', 'NO_TARGET'])[1 + n % 3] END,
       outcome < 70 AND talk >= cp.billable_after_seconds, CASE WHEN outcome < 85 THEN 1 ELSE 0 END
FROM generate_series(1, 420) n
JOIN LATERAL (SELECT * FROM dids WHERE campaign_id IS NOT NULL ORDER BY id OFFSET n % 4 LIMIT 1) d ON true
JOIN campaigns cp ON cp.id = d.campaign_id
JOIN LATERAL (SELECT * FROM campaign_client_settings WHERE campaign_id = d.campaign_id
              ORDER BY id OFFSET (n / 4) % 2 LIMIT 1) s ON true
CROSS JOIN LATERAL (SELECT (n * 37) % 100 AS outcome,
                           date_trunc('minute', now()) - make_interval(mins => n * 24) AS t) x
CROSS JOIN LATERAL (SELECT CASE WHEN outcome < 70 THEN 20 + (n * 53) % 400 ELSE 0 END AS talk) y;
