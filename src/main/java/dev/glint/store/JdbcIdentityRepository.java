package dev.glint.store;

import dev.glint.identity.IdentityRepository;

/** {@link IdentityRepository} over JDBC. */
public final class JdbcIdentityRepository implements IdentityRepository {
  private final Database db;

  public JdbcIdentityRepository(Database db) {
    this.db = db;
  }
}
