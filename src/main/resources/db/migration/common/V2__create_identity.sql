-- Keystone's minimum: domains, projects, users, roles and project role grants.
CREATE TABLE domains (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    name        VARCHAR(64)  NOT NULL UNIQUE,
    description TEXT         NOT NULL DEFAULT '',
    enabled     BOOLEAN      NOT NULL DEFAULT TRUE
);

CREATE TABLE projects (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    name        VARCHAR(64)  NOT NULL,
    domain_id   VARCHAR(64)  NOT NULL REFERENCES domains (id),
    description TEXT         NOT NULL DEFAULT '',
    enabled     BOOLEAN      NOT NULL DEFAULT TRUE,
    UNIQUE (domain_id, name)
);

CREATE TABLE users (
    id                 VARCHAR(64)  NOT NULL PRIMARY KEY,
    name               VARCHAR(255) NOT NULL,
    domain_id          VARCHAR(64)  NOT NULL REFERENCES domains (id),
    password_hash      VARCHAR(128),
    enabled            BOOLEAN      NOT NULL DEFAULT TRUE,
    default_project_id VARCHAR(64),
    extra              TEXT         NOT NULL DEFAULT '{}',
    UNIQUE (domain_id, name)
);

CREATE TABLE roles (
    id   VARCHAR(64)  NOT NULL PRIMARY KEY,
    name VARCHAR(255) NOT NULL UNIQUE
);

CREATE TABLE role_grants (
    project_id VARCHAR(64) NOT NULL REFERENCES projects (id),
    user_id    VARCHAR(64) NOT NULL REFERENCES users (id),
    role_id    VARCHAR(64) NOT NULL REFERENCES roles (id),
    PRIMARY KEY (project_id, user_id, role_id)
);
CREATE INDEX role_grants_user ON role_grants (user_id, project_id);
