-- Revocation events may name a trust: deleting one ends every token scoped to it, on every node
-- (the image and compute listeners trust the token alone).
ALTER TABLE revocation_events ADD COLUMN trust_id VARCHAR(64);
