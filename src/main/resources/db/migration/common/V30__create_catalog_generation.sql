-- The catalog generation: one row, advanced by every transaction that changes images, members,
-- tags or properties, in that same transaction. Readers (the in-memory list of a node, an
-- operator comparing nodes) key on it; it never goes back and skips no committed change.
-- V30 leaves room below for migrations other branches add at the same time.
CREATE TABLE catalog_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO catalog_generation (id, generation) VALUES (1, 0);
