-- When each cdr row was written, on the database's clock. The reconciler holds a young row back (the other legs of
-- its call may still come) while its end is recent; an Asterisk host whose clock runs fast writes ends in the
-- future, which held back every server's rows behind it for as long as its clock was ahead. A row is young now only
-- while it was also written less than the grace ago. cdr_adaptive_odbc leaves a column no CDR variable names to its
-- default, as it does id.
ALTER TABLE cdr ADD COLUMN inserted_at timestamptz NOT NULL DEFAULT now();
