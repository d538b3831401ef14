package dev.glint.identity;

/** Storage of domains, projects, users, roles and grants, implemented by {@code store}. */
public interface IdentityRepository {}
