-- Keystone roles carry an optional description (POST/PATCH /v3/roles).
ALTER TABLE roles ADD COLUMN description TEXT;
