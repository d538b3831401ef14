package dev.glint.store;

import dev.glint.identity.PolicyBlobRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link PolicyBlobRepository} over JDBC, the same SQL for SQLite and PostgreSQL. */
public final class JdbcPolicyBlobRepository implements PolicyBlobRepository {
  private final Database db;

  public JdbcPolicyBlobRepository(Database db) {
    this.db = db;
  }

  @Override
  public void create(PolicyBlob p) {
    db.write(
        h ->
            h.createUpdate(
                    "INSERT INTO policy_blobs (id, type, blob, extra, created_at)"
                        + " VALUES (:id, :type, :blob, :extra, :created)")
                .bind("id", p.id())
                .bind("type", p.type())
                .bind("blob", p.blob())
                .bind("extra", p.extra())
                .bind("created", Instant.now().toEpochMilli())
                .execute());
  }

  @Override
  public Optional<PolicyBlob> find(String id) {
    return db.read(
        h ->
            h.createQuery("SELECT id, type, blob, extra FROM policy_blobs WHERE id = :id")
                .bind("id", id)
                .map(
                    (rs, ctx) ->
                        new PolicyBlob(
                            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .findOne());
  }

  @Override
  public List<PolicyBlob> list() {
    return db.read(
        h ->
            h.createQuery("SELECT id, type, blob, extra FROM policy_blobs ORDER BY created_at, id")
                .map(
                    (rs, ctx) ->
                        new PolicyBlob(
                            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list());
  }

  @Override
  public void update(PolicyBlob p) {
    db.write(
        h ->
            h.createUpdate(
                    "UPDATE policy_blobs SET type = :type, blob = :blob, extra = :extra"
                        + " WHERE id = :id")
                .bind("id", p.id())
                .bind("type", p.type())
                .bind("blob", p.blob())
                .bind("extra", p.extra())
                .execute());
  }

  @Override
  public boolean delete(String id) {
    return db.write(
            h -> h.createUpdate("DELETE FROM policy_blobs WHERE id = :id").bind("id", id).execute())
        > 0;
  }
}
