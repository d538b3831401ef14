-- Implied roles (bootstrap: admin implies member, member implies reader), as Keystone's
-- implied_role table: a token carries the closure of the roles granted.
CREATE TABLE implied_roles (
    prior_role_id   VARCHAR(64) NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    implied_role_id VARCHAR(64) NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (prior_role_id, implied_role_id)
);

-- Tokens revoked by DELETE /v3/auth/tokens, by audit id. Every node keeps these in memory and
-- polls for rows newer than the last it saw (revoked_at, epoch milliseconds); a row is useless,
-- and purged, once its token would have expired anyway (expires_at, epoch seconds).
CREATE TABLE revoked_tokens (
    audit_id   VARCHAR(64) NOT NULL PRIMARY KEY,
    expires_at BIGINT      NOT NULL,
    revoked_at BIGINT      NOT NULL
);
CREATE INDEX revoked_tokens_revoked_at ON revoked_tokens (revoked_at);
