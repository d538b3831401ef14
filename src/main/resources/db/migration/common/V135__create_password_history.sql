-- Keystone's password rows, kept for [security_compliance]: each password a user is given (hash,
-- when, and when it expires; epoch milliseconds, expires_at null for never), newest last, for the
-- minimum age, the unique-last-passwords check and expiry. Passwords set before this table are
-- not in it and never expire.
CREATE TABLE password_history (
    id            VARCHAR(64)  NOT NULL PRIMARY KEY,
    user_id       VARCHAR(64)  NOT NULL,
    password_hash VARCHAR(128) NOT NULL,
    created_at    BIGINT       NOT NULL,
    expires_at    BIGINT
);
CREATE INDEX password_history_user ON password_history (user_id, created_at);
