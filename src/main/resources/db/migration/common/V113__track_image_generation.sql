-- The in-memory list (catalog.ImageIndex) catches up with the store by reading only what changed:
-- each committed catalog change stamps the images it touched with the generation it advanced to,
-- so "WHERE generation > :seen" is every image changed since a node last looked. A change that
-- does not name its images (bulk inserts, start-up recovery, purges) records its generation in
-- rebuilt_at instead, and readers that saw less than that rebuild from a full scan.
ALTER TABLE images ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;
CREATE INDEX images_generation ON images (generation);
ALTER TABLE catalog_generation ADD COLUMN rebuilt_at BIGINT NOT NULL DEFAULT 0;
