-- The Asterisk server whose events (device state, a bridge) put an agent ON_CALL: after that server's reconnect,
-- such an agent with no channel up there any more, and no dialer call holding it, goes to wrap-up (the end of its
-- call was missed while AMI was down). Agents are not tied to one server otherwise.
ALTER TABLE agents ADD COLUMN on_call_server_id bigint;
