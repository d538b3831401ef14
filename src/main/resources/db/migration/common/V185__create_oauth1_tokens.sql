-- Keystone's OAuth1 request and access tokens (OS-OAUTH1). Secrets are stored only encrypted
-- with the credential keys, as consumer secrets are; a verifier only as its SHA-256. Times are
-- epoch milliseconds (expires_at null: never); role_ids a JSON array of role ids.
CREATE TABLE oauth1_request_tokens (
    id                  VARCHAR(64) NOT NULL PRIMARY KEY,
    consumer_id         VARCHAR(64) NOT NULL,
    project_id          VARCHAR(64) NOT NULL,
    secret_encrypted    TEXT        NOT NULL,
    key_hash            VARCHAR(64) NOT NULL,
    authorizing_user_id VARCHAR(64),
    role_ids            TEXT,
    verifier_hash       VARCHAR(64),
    expires_at          BIGINT,
    created_at          BIGINT      NOT NULL
);
CREATE INDEX oauth1_request_tokens_consumer ON oauth1_request_tokens (consumer_id);

CREATE TABLE oauth1_access_tokens (
    id                  VARCHAR(64) NOT NULL PRIMARY KEY,
    consumer_id         VARCHAR(64) NOT NULL,
    authorizing_user_id VARCHAR(64) NOT NULL,
    project_id          VARCHAR(64) NOT NULL,
    role_ids            TEXT        NOT NULL,
    secret_encrypted    TEXT        NOT NULL,
    key_hash            VARCHAR(64) NOT NULL,
    expires_at          BIGINT,
    created_at          BIGINT      NOT NULL
);
CREATE INDEX oauth1_access_tokens_consumer ON oauth1_access_tokens (consumer_id);
CREATE INDEX oauth1_access_tokens_user ON oauth1_access_tokens (authorizing_user_id);

-- A revocation event may name an OAuth1 access token: deleting it (or its consumer) ends every
-- token issued through it, on every node.
ALTER TABLE revocation_events ADD COLUMN access_token_id VARCHAR(64);
