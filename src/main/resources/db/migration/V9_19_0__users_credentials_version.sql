-- A password change ends the user's other browser sessions. A session keeps the user row it signed in with, and
-- SessionUserFilter re-read only enabled, role and seller on each request: a session opened with the old password
-- (on a lost laptop, by whoever learnt it) stayed signed in after the change. Every password change now counts
-- up credentials_version; a session signed in under another version is ended at its next request. The session
-- making the change is carried over to the new version.
ALTER TABLE users ADD COLUMN credentials_version integer NOT NULL DEFAULT 0;
