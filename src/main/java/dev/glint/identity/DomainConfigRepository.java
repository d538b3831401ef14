package dev.glint.identity;

import java.util.List;

/** Storage of domain-specific configuration options, implemented by {@code store}. */
public interface DomainConfigRepository {
  /**
   * One option of a domain's configuration.
   *
   * @param value the option's value as JSON text; for a sensitive option, that text encrypted
   */
  record Option(String group, String option, String value, boolean sensitive) {}

  /** Runs {@code work} as one unit of work; the calls inside join it. */
  <R> R inTransaction(java.util.function.Supplier<R> work);

  /** The domain's options, by group then option name. */
  List<Option> options(String domainId);

  /** Sets one option, replacing its value if it is set. */
  void put(String domainId, Option option);

  /**
   * Deletes the domain's options, only those of {@code group} when it is not null, only {@code
   * option} of it when that is not null; answers how many went.
   */
  int delete(String domainId, String group, String option);
}
