-- Keystone's access rules for application credentials: a user's (service, method, path) rules,
-- shared by the credentials that name them (an identical rule is reused, as in Keystone).
CREATE TABLE access_rules (
    id         VARCHAR(64)  NOT NULL PRIMARY KEY,
    user_id    VARCHAR(64)  NOT NULL,
    service    VARCHAR(64)  NOT NULL,
    method     VARCHAR(16)  NOT NULL,
    path       VARCHAR(128) NOT NULL,
    created_at BIGINT       NOT NULL
);
CREATE INDEX access_rules_user ON access_rules (user_id);
CREATE TABLE application_credential_access_rules (
    application_credential_id VARCHAR(64) NOT NULL,
    access_rule_id            VARCHAR(64) NOT NULL,
    PRIMARY KEY (application_credential_id, access_rule_id)
);
CREATE INDEX application_credential_access_rules_rule
    ON application_credential_access_rules (access_rule_id);
