-- Keystone's credentials (/v3/credentials, and the EC2 ones under /v3/users/{id}/credentials/
-- OS-EC2). The blob is stored only encrypted, as a Fernet token made with a key of the
-- credential key repository; key_hash names that key (sha1 of it, as Keystone's key_hash).
-- extra holds the fields a client sent beyond Keystone's columns, as a JSON object.
CREATE TABLE credentials (
    id             VARCHAR(64)  NOT NULL PRIMARY KEY,
    user_id        VARCHAR(64)  NOT NULL,
    project_id     VARCHAR(64),
    type           VARCHAR(255) NOT NULL,
    encrypted_blob TEXT         NOT NULL,
    key_hash       VARCHAR(64)  NOT NULL,
    extra          TEXT         NOT NULL,
    created_at     BIGINT       NOT NULL
);
CREATE INDEX credentials_user ON credentials (user_id, type);
