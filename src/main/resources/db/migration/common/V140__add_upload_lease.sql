-- Who is streaming a 'saving' image's data and until when (issue 10). The node running the upload
-- renews its lease while the data arrives; any node puts a saving image whose lease ran out back
-- to queued (the node died), and an upload whose lease was taken over cannot activate the image.
ALTER TABLE images ADD COLUMN upload_lease VARCHAR(64);
ALTER TABLE images ADD COLUMN upload_lease_until BIGINT;
-- The recovery sweep reads only saving images; both dialects know partial indexes.
CREATE INDEX images_saving_lease ON images (upload_lease_until) WHERE status = 'saving';
-- Purge walks soft-deleted images oldest first.
CREATE INDEX images_deleted_at ON images (deleted_at) WHERE deleted_at IS NOT NULL;
