-- An application credential's expires_at is kept to the microsecond, as Keystone keeps and echoes
-- it (it was epoch milliseconds): now epoch microseconds.
UPDATE application_credentials SET expires_at = expires_at * 1000 WHERE expires_at IS NOT NULL;
