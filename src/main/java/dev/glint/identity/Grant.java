package dev.glint.identity;

/** A role granted to a user on a project (a Keystone role assignment). */
public record Grant(String projectId, String userId, String roleId) {}
