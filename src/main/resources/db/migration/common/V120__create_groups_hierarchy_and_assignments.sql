-- Keystone's account model beyond user-on-project grants (issue 14, part A).
-- Project hierarchy: parent_id NULL means the project sits directly under its domain (Keystone
-- stores the domain id there). Tags: a JSON array of strings, filtered in memory as the lists are.
ALTER TABLE projects ADD COLUMN parent_id VARCHAR(64);
ALTER TABLE projects ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';

-- Groups of users ("groups" is a keyword in SQLite's window syntax, hence the name).
CREATE TABLE user_groups (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    name        VARCHAR(255) NOT NULL,
    domain_id   VARCHAR(64)  NOT NULL REFERENCES domains (id),
    description TEXT,
    UNIQUE (domain_id, name)
);

CREATE TABLE group_members (
    group_id VARCHAR(64) NOT NULL REFERENCES user_groups (id),
    user_id  VARCHAR(64) NOT NULL REFERENCES users (id),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

-- Every assignment but a user's direct one on a project (those stay in role_grants), as
-- Keystone's assignment and system_assignment tables: actor user|group, target
-- project|domain|system (target_id 'all' for the system), inherited to the target's subtree.
CREATE TABLE role_assignments (
    actor_type  VARCHAR(8)  NOT NULL,
    actor_id    VARCHAR(64) NOT NULL,
    target_type VARCHAR(8)  NOT NULL,
    target_id   VARCHAR(64) NOT NULL,
    role_id     VARCHAR(64) NOT NULL REFERENCES roles (id),
    inherited   BOOLEAN     NOT NULL DEFAULT FALSE,
    PRIMARY KEY (actor_type, actor_id, target_type, target_id, role_id, inherited)
);
CREATE INDEX role_assignments_target ON role_assignments (target_type, target_id);
