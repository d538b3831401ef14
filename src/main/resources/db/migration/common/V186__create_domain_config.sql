-- Keystone's domain-specific configuration (/v3/domains/{id}/config): one row per option. value
-- is the option's JSON value; a sensitive option's (ldap password) is stored only encrypted
-- with the credential keys and never shown. Glint stores these; it does not act on them.
CREATE TABLE domain_config (
    domain_id   VARCHAR(64)  NOT NULL,
    group_name  VARCHAR(255) NOT NULL,
    option_name VARCHAR(255) NOT NULL,
    value       TEXT         NOT NULL,
    sensitive   BOOLEAN      NOT NULL,
    PRIMARY KEY (domain_id, group_name, option_name)
);
