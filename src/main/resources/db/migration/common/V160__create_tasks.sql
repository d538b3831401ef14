-- Glance's tasks: one per interoperable import (type api_image_import), as Glance records them.
-- input and result are JSON texts; times are microseconds since the epoch, as for images.
CREATE TABLE tasks (
    id         VARCHAR(36)  NOT NULL PRIMARY KEY,
    type       VARCHAR(30)  NOT NULL,
    status     VARCHAR(30)  NOT NULL,
    owner      VARCHAR(64),
    image_id   VARCHAR(36),
    request_id VARCHAR(64),
    user_id    VARCHAR(64),
    input      TEXT         NOT NULL,
    result     TEXT,
    message    TEXT         NOT NULL,
    created_at BIGINT       NOT NULL,
    updated_at BIGINT       NOT NULL,
    expires_at BIGINT
);
CREATE INDEX tasks_image ON tasks (image_id, created_at);
CREATE INDEX tasks_owner ON tasks (owner, created_at);
