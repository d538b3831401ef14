-- A B-tree entry holds at most about 2.7 KB, so PostgreSQL refused (500) any property value
-- longer than that, while Glance's schema allows 65 535 bytes. A hash index keeps a 4-byte hash
-- whatever the value's length and still serves the equality lookups property filters make
-- (instance_uuid = ?); the (image_id, name) primary key serves the per-image probes.
DROP INDEX image_properties_name_value;
CREATE INDEX image_properties_value_hash ON image_properties USING hash (value);
