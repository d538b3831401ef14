-- Keystone's trusts (OS-TRUST): a trustor delegates some of its roles on a project to a trustee.
-- Times are epoch milliseconds; role_ids a JSON array of role ids; deleted_at marks a deleted
-- trust (Keystone deletes softly). extra holds the fields beyond Keystone's columns.
CREATE TABLE trusts (
    id                   VARCHAR(64) NOT NULL PRIMARY KEY,
    trustor_user_id      VARCHAR(64) NOT NULL,
    trustee_user_id      VARCHAR(64) NOT NULL,
    project_id           VARCHAR(64),
    impersonation        BOOLEAN     NOT NULL,
    expires_at           BIGINT,
    remaining_uses       INTEGER,
    redelegated_trust_id VARCHAR(64),
    redelegation_count   INTEGER,
    role_ids             TEXT        NOT NULL,
    extra                TEXT        NOT NULL,
    created_at           BIGINT      NOT NULL,
    deleted_at           BIGINT
);
CREATE INDEX trusts_trustor ON trusts (trustor_user_id);
CREATE INDEX trusts_trustee ON trusts (trustee_user_id);
