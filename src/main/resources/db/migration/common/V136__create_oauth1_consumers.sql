-- Keystone's OAuth1 consumers (OS-OAUTH1). The secret is stored only encrypted with the
-- credential keys, as credential blobs are; extra holds the fields beyond Keystone's columns.
CREATE TABLE oauth1_consumers (
    id               VARCHAR(64) NOT NULL PRIMARY KEY,
    description      VARCHAR(64),
    secret_encrypted TEXT        NOT NULL,
    key_hash         VARCHAR(64) NOT NULL,
    extra            TEXT        NOT NULL,
    created_at       BIGINT      NOT NULL
);
