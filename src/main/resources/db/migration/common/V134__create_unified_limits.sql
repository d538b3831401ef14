-- Keystone's unified limits: registered (default) limits per service, region and resource, and
-- project or domain limits overriding them. A limit names its registered limit by the same
-- (service_id, region_id, resource_name); region_id '' stands for none, so that the unique keys
-- hold on both databases.
CREATE TABLE registered_limits (
    id            VARCHAR(64)  NOT NULL PRIMARY KEY,
    service_id    VARCHAR(64)  NOT NULL,
    region_id     VARCHAR(255) NOT NULL,
    resource_name VARCHAR(255) NOT NULL,
    default_limit INTEGER      NOT NULL,
    description   TEXT,
    created_at    BIGINT       NOT NULL,
    UNIQUE (service_id, region_id, resource_name)
);

CREATE TABLE limits (
    id             VARCHAR(64)  NOT NULL PRIMARY KEY,
    project_id     VARCHAR(64)  NOT NULL,
    domain_id      VARCHAR(64)  NOT NULL,
    service_id     VARCHAR(64)  NOT NULL,
    region_id      VARCHAR(255) NOT NULL,
    resource_name  VARCHAR(255) NOT NULL,
    resource_limit INTEGER      NOT NULL,
    description    TEXT,
    created_at     BIGINT       NOT NULL,
    UNIQUE (project_id, domain_id, service_id, region_id, resource_name)
);
