-- Glance's metadata definitions catalog (metadefs): namespaces and what they hold. Names are
-- unique where Glance makes them unique; times are microseconds since the epoch, as elsewhere.
CREATE TABLE metadef_namespaces (
    id           VARCHAR(36)  NOT NULL PRIMARY KEY,
    namespace    VARCHAR(80)  NOT NULL UNIQUE,
    display_name VARCHAR(80),
    description  TEXT,
    visibility   VARCHAR(10)  NOT NULL,
    protected    BOOLEAN      NOT NULL DEFAULT FALSE,
    owner        VARCHAR(255) NOT NULL,
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL
);
-- Non-admin lists: public ones or the caller's own.
CREATE INDEX metadef_namespaces_owner ON metadef_namespaces (owner);

-- An object's property schemas are one JSON document (Glance's json_schema column); required is
-- a JSON array of property names.
CREATE TABLE metadef_objects (
    id           VARCHAR(36) NOT NULL PRIMARY KEY,
    namespace_id VARCHAR(36) NOT NULL REFERENCES metadef_namespaces (id),
    name         VARCHAR(80) NOT NULL,
    description  TEXT,
    required     TEXT,
    json_schema  TEXT        NOT NULL,
    created_at   BIGINT      NOT NULL,
    updated_at   BIGINT      NOT NULL,
    UNIQUE (namespace_id, name)
);

CREATE TABLE metadef_properties (
    id           VARCHAR(36) NOT NULL PRIMARY KEY,
    namespace_id VARCHAR(36) NOT NULL REFERENCES metadef_namespaces (id),
    name         VARCHAR(80) NOT NULL,
    json_schema  TEXT        NOT NULL,
    created_at   BIGINT      NOT NULL,
    updated_at   BIGINT      NOT NULL,
    UNIQUE (namespace_id, name)
);

CREATE TABLE metadef_tags (
    id           VARCHAR(36) NOT NULL PRIMARY KEY,
    namespace_id VARCHAR(36) NOT NULL REFERENCES metadef_namespaces (id),
    name         VARCHAR(80) NOT NULL,
    created_at   BIGINT      NOT NULL,
    updated_at   BIGINT      NOT NULL,
    UNIQUE (namespace_id, name)
);

-- Resource types are global; protected ones came from definition files (Glance's "seeded").
CREATE TABLE metadef_resource_types (
    id         VARCHAR(36) NOT NULL PRIMARY KEY,
    name       VARCHAR(80) NOT NULL UNIQUE,
    protected  BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at BIGINT      NOT NULL,
    updated_at BIGINT      NOT NULL
);

CREATE TABLE metadef_namespace_resource_types (
    resource_type_id  VARCHAR(36) NOT NULL REFERENCES metadef_resource_types (id),
    namespace_id      VARCHAR(36) NOT NULL REFERENCES metadef_namespaces (id),
    properties_target VARCHAR(80),
    prefix            VARCHAR(80),
    created_at        BIGINT      NOT NULL,
    updated_at        BIGINT      NOT NULL,
    PRIMARY KEY (resource_type_id, namespace_id)
);
CREATE INDEX metadef_ns_res_types_namespace ON metadef_namespace_resource_types (namespace_id);

-- Which of Glint's own definition files this store has loaded (each once, so an operator who
-- deletes a shipped namespace does not see it come back on the next start).
CREATE TABLE metadef_seeds (
    name      VARCHAR(255) NOT NULL PRIMARY KEY,
    loaded_at BIGINT       NOT NULL
);
