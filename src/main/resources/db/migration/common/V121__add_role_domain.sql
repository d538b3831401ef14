-- Keystone's domain-specific roles: a role may belong to a domain (NULL: a global role). Such a
-- role never appears in tokens itself; only the roles it implies do.
ALTER TABLE roles ADD COLUMN domain_id VARCHAR(64);
