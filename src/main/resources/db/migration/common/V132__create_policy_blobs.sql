-- Keystone's deprecated policy API (/v3/policies): opaque blobs an operator stores, which Keystone
-- itself never enforces. extra holds the fields beyond Keystone's columns, as a JSON object.
CREATE TABLE policy_blobs (
    id         VARCHAR(64)  NOT NULL PRIMARY KEY,
    type       VARCHAR(255) NOT NULL,
    blob       TEXT         NOT NULL,
    extra      TEXT         NOT NULL,
    created_at BIGINT       NOT NULL
);
