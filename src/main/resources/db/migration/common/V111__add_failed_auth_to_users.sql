-- Keystone's local_user.failed_auth_count / failed_auth_at, for [security_compliance] lockout.
-- failed_auth_at is epoch milliseconds, NULL when the user never failed (or was reset).
ALTER TABLE users ADD COLUMN failed_auth_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN failed_auth_at BIGINT;
