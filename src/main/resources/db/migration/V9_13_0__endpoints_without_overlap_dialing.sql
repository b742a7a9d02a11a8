-- Endpoints provisioned before overlap dialing was turned off (PjsipMapper.upsertEndpoint now writes
-- allow_overlap = no): with Asterisk's default (yes), chan_pjsip answers a number that only begins a dialplan
-- pattern (one digit against from-pstn's _X.) with 484 Address Incomplete instead of 404.
UPDATE ps_endpoints SET allow_overlap = 'no' WHERE allow_overlap IS NULL;
