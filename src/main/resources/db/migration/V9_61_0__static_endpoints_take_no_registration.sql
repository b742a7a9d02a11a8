-- Static buyers and carriers were provisioned with max_contacts = 1 (PjsipProvisioner now writes 0). Asterisk's
-- registrar binds a contact to any AOR with room for one, and challenges only an endpoint that has an auth: these
-- have none, and a static buyer is identified by the From user alone, so anyone could REGISTER as its endpoint id
-- and be rung with its calls. Their AORs take no registration from now on, and whatever was registered on them
-- (a static buyer or a carrier never registers: it is a stranger's contact, or a buyer's from before it became
-- static) is deleted. res_config_odbc stores a contact id "<aor>;@<hash>" with its ";" written "^3B".
WITH unregistered AS (
    UPDATE ps_aors a SET max_contacts = 0
    FROM ps_endpoints e
    WHERE e.id = a.id AND e.auth IS NULL AND a.max_contacts > 0
      AND (EXISTS (SELECT 1 FROM clients c WHERE c.endpoint = a.id AND c.sip_mode = 'STATIC')
           OR EXISTS (SELECT 1 FROM trunks t WHERE t.endpoint = a.id))
    RETURNING a.id
)
DELETE FROM ps_contacts c
USING unregistered u
WHERE c.endpoint = u.id
   OR left(c.id, length(u.id) + 4) = u.id || '^3B@'
   OR left(c.id, length(u.id) + 2) = u.id || ';@';
