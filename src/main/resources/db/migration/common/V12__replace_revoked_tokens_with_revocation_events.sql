-- Revocation events, as Keystone's revocation_event table, replace revoked_tokens (which held
-- single tokens only): a token is revoked when every non-null key matches it (its audit id; its
-- user; its project) and it was issued at or before issued_before. DELETE /v3/auth/tokens records
-- an audit id; disabling or deleting a user, changing a password or removing a grant record user
-- (and project) events. Every node keeps them in memory and polls for rows newer than the last it
-- saw (revoked_at); a row is useless, and purged, once every token it could match has expired
-- (expires_at). Revoked single tokens carry over.
CREATE TABLE revocation_events (
    id            VARCHAR(64) NOT NULL PRIMARY KEY,
    audit_id      VARCHAR(64),
    user_id       VARCHAR(64),
    project_id    VARCHAR(64),
    issued_before BIGINT      NOT NULL, -- epoch milliseconds
    expires_at    BIGINT      NOT NULL, -- epoch seconds
    revoked_at    BIGINT      NOT NULL  -- epoch milliseconds
);
CREATE INDEX revocation_events_revoked_at ON revocation_events (revoked_at);

INSERT INTO revocation_events (id, audit_id, issued_before, expires_at, revoked_at)
SELECT audit_id, audit_id, revoked_at, expires_at, revoked_at FROM revoked_tokens;

DROP TABLE revoked_tokens;
