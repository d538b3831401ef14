-- The image catalog shared by the compute and image APIs. Times are microseconds since the epoch
-- (UTC) so both dialects store and compare them the same way and keyset pages are exact.
CREATE TABLE images (
    id               VARCHAR(36)  NOT NULL PRIMARY KEY,
    owner            VARCHAR(64),
    name             VARCHAR(255),
    status           VARCHAR(20)  NOT NULL,
    visibility       VARCHAR(10)  NOT NULL,
    protected        BOOLEAN      NOT NULL DEFAULT FALSE,
    os_hidden        BOOLEAN      NOT NULL DEFAULT FALSE,
    min_disk         INTEGER      NOT NULL DEFAULT 0,
    min_ram          INTEGER      NOT NULL DEFAULT 0,
    size             BIGINT,
    virtual_size     BIGINT,
    disk_format      VARCHAR(20),
    container_format VARCHAR(20),
    checksum         VARCHAR(32),
    os_hash_algo     VARCHAR(64),
    os_hash_value    VARCHAR(128),
    created_at       BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL,
    deleted_at       BIGINT
);

-- The list order (newest first) and its keyset: WHERE (created_at, id) < (?, ?).
CREATE INDEX images_created_id ON images (created_at, id);
-- A project's own images in list order, for callers who own a small part of a large catalog.
CREATE INDEX images_owner_created_id ON images (owner, created_at, id);
-- changes-since polls: WHERE updated_at >= ?.
CREATE INDEX images_updated ON images (updated_at);
-- name=<exact> filters.
CREATE INDEX images_name ON images (name);

CREATE TABLE image_properties (
    image_id VARCHAR(36)  NOT NULL REFERENCES images (id),
    name     VARCHAR(255) NOT NULL,
    value    TEXT         NOT NULL,
    PRIMARY KEY (image_id, name)
);
-- Property filters (server -> instance_uuid, type -> image_type) look up by name and value.
-- The value is indexed through a 255-character prefix where the dialect needs one.
CREATE INDEX image_properties_name_value ON image_properties (name, value);

CREATE TABLE image_tags (
    image_id VARCHAR(36)  NOT NULL REFERENCES images (id),
    tag      VARCHAR(255) NOT NULL,
    PRIMARY KEY (image_id, tag)
);

CREATE TABLE image_members (
    image_id   VARCHAR(36) NOT NULL REFERENCES images (id),
    member     VARCHAR(64) NOT NULL,
    status     VARCHAR(10) NOT NULL,
    created_at BIGINT      NOT NULL,
    updated_at BIGINT      NOT NULL,
    PRIMARY KEY (image_id, member)
);
CREATE INDEX image_members_member ON image_members (member, status);
