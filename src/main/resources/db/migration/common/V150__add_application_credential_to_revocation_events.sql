-- Revocation events may name an application credential: deleting one ends every token issued
-- through it, on every node (as the user, project and audit id keys end theirs).
ALTER TABLE revocation_events ADD COLUMN application_credential_id VARCHAR(64);
