-- A DID that staff or an admin deactivated (a complaint, a carrier's notice) stays off until staff turn it back on:
-- its seller may deactivate and reactivate a DID of its own, but not undo what staff did. False for every DID now,
-- as nobody can tell who turned the inactive ones off; a constant default adds the column without a rewrite.
ALTER TABLE dids ADD COLUMN deactivated_by_staff boolean NOT NULL DEFAULT false;
