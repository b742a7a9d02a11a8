-- When the Asterisk of an instance's AMI connection started, from the Uptime of the FullyBooted event it sent that
-- connection: an instance asking for the server's status through another has only CoreStatus's start otherwise,
-- given in the Asterisk host's local time with no zone. Null until the connection's FullyBooted came.
ALTER TABLE ami_connections ADD COLUMN asterisk_started_at timestamptz;
