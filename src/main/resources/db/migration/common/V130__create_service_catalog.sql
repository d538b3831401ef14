-- Keystone's editable service catalog (catalog/backends/sql.py) and its endpoint filters
-- (OS-EP-FILTER). extra holds a JSON object of the fields Keystone keeps beside its columns (a
-- service's name and description, any field a client adds). seq keeps the order rows were
-- created in, which is the order tokens list services and endpoints in. The links between rows
-- (endpoint → service, region; region → parent) are kept by the catalog service, as SQLite runs
-- without foreign keys here.
CREATE TABLE catalog_regions (
    id               VARCHAR(255) NOT NULL PRIMARY KEY,
    description      VARCHAR(255) NOT NULL,
    parent_region_id VARCHAR(255),
    extra            TEXT         NOT NULL,
    seq              BIGINT       NOT NULL
);

CREATE TABLE catalog_services (
    id      VARCHAR(64)  NOT NULL PRIMARY KEY,
    type    VARCHAR(255) NOT NULL,
    enabled BOOLEAN      NOT NULL,
    extra   TEXT         NOT NULL,
    seq     BIGINT       NOT NULL
);

CREATE TABLE catalog_endpoints (
    id         VARCHAR(64)  NOT NULL PRIMARY KEY,
    service_id VARCHAR(64)  NOT NULL,
    interface  VARCHAR(8)   NOT NULL,
    region_id  VARCHAR(255),
    url        TEXT         NOT NULL,
    enabled    BOOLEAN      NOT NULL,
    extra      TEXT         NOT NULL,
    seq        BIGINT       NOT NULL
);
CREATE INDEX catalog_endpoints_service ON catalog_endpoints (service_id);

CREATE TABLE endpoint_groups (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    name        VARCHAR(255) NOT NULL,
    description TEXT,
    filters     TEXT         NOT NULL
);

CREATE TABLE project_endpoints (
    endpoint_id VARCHAR(64) NOT NULL,
    project_id  VARCHAR(64) NOT NULL,
    PRIMARY KEY (endpoint_id, project_id)
);

CREATE TABLE project_endpoint_groups (
    endpoint_group_id VARCHAR(64) NOT NULL,
    project_id        VARCHAR(64) NOT NULL,
    PRIMARY KEY (endpoint_group_id, project_id)
);
