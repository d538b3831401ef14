-- An import holds the same lease as an upload (upload_lease = its task id, V140) while its node
-- moves the data: the recovery sweep reads only importing images.
CREATE INDEX images_importing_lease ON images (upload_lease_until) WHERE status = 'importing';
