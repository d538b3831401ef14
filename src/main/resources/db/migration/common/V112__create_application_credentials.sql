-- Keystone's application credentials: a user's delegated login to one project with some of the
-- user's roles there. The secret is kept as a bcrypt hash only. expires_at and created_at are
-- epoch milliseconds; role_ids a JSON array of role ids.
CREATE TABLE application_credentials (
    id           VARCHAR(64)  NOT NULL PRIMARY KEY,
    name         VARCHAR(255) NOT NULL,
    description  TEXT,
    user_id      VARCHAR(64)  NOT NULL,
    project_id   VARCHAR(64)  NOT NULL,
    secret_hash  VARCHAR(128) NOT NULL,
    expires_at   BIGINT,
    unrestricted BOOLEAN      NOT NULL DEFAULT FALSE,
    role_ids     TEXT         NOT NULL,
    created_at   BIGINT       NOT NULL,
    UNIQUE (user_id, name)
);
CREATE INDEX application_credentials_project ON application_credentials (user_id, project_id);
