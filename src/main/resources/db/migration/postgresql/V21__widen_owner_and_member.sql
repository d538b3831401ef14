-- Glance allows owner and member ids up to 255 characters; SQLite does not enforce VARCHAR
-- lengths, PostgreSQL does, so widen them here to accept the same input on both.
ALTER TABLE images ALTER COLUMN owner TYPE VARCHAR(255);
ALTER TABLE image_members ALTER COLUMN member TYPE VARCHAR(255);
