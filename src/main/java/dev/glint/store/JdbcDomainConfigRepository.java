package dev.glint.store;

import dev.glint.identity.DomainConfigRepository;
import java.util.List;

/** {@link DomainConfigRepository} over JDBC, the same SQL for SQLite and PostgreSQL. */
public final class JdbcDomainConfigRepository implements DomainConfigRepository {
  private final Database db;

  public JdbcDomainConfigRepository(Database db) {
    this.db = db;
  }

  @Override
  public <R> R inTransaction(java.util.function.Supplier<R> work) {
    return db.write(h -> work.get());
  }

  @Override
  public List<Option> options(String domainId) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT group_name, option_name, value, sensitive FROM domain_config"
                        + " WHERE domain_id = :domain ORDER BY group_name, option_name")
                .bind("domain", domainId)
                .map((rs, ctx) -> new Option(
                    rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)))
                .list());
  }

  @Override
  public void put(String domainId, Option o) {
    // Delete then insert, in one transaction: portable where upsert syntax is not.
    db.write(
        h -> {
          h.createUpdate(
                  "DELETE FROM domain_config WHERE domain_id = :domain AND group_name = :group"
                      + " AND option_name = :option")
              .bind("domain", domainId)
              .bind("group", o.group())
              .bind("option", o.option())
              .execute();
          return h.createUpdate(
                  "INSERT INTO domain_config (domain_id, group_name, option_name, value,"
                      + " sensitive) VALUES (:domain, :group, :option, :value, :sensitive)")
              .bind("domain", domainId)
              .bind("group", o.group())
              .bind("option", o.option())
              .bind("value", o.value())
              .bind("sensitive", o.sensitive())
              .execute();
        });
  }

  @Override
  public int delete(String domainId, String group, String option) {
    String sql = "DELETE FROM domain_config WHERE domain_id = :domain"
        + (group == null ? "" : " AND group_name = :group")
        + (option == null ? "" : " AND option_name = :option");
    return db.write(
        h -> {
          var update = h.createUpdate(sql).bind("domain", domainId);
          if (group != null) {
            update.bind("group", group);
          }
          if (option != null) {
            update.bind("option", option);
          }
          return update.execute();
        });
  }
}
