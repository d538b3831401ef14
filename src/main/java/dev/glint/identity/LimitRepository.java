package dev.glint.identity;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Storage of unified limits, implemented by {@code store}. A null region is stored as none; a
 * limit belongs to a project or (exclusively) a domain.
 */
public interface LimitRepository {
  /** A registered (default) limit. */
  record RegisteredLimit(
      String id,
      String serviceId,
      String regionId,
      String resourceName,
      int defaultLimit,
      String description) {}

  /** A project's or a domain's limit; the other owner is null. */
  record Limit(
      String id,
      String projectId,
      String domainId,
      String serviceId,
      String regionId,
      String resourceName,
      int resourceLimit,
      String description) {}

  /** Runs {@code work} as one write transaction; calls inside it join it. */
  <R> R inTransaction(Supplier<R> work);

  /** False when one with the same service, region and resource exists. */
  boolean createRegistered(RegisteredLimit limit);

  Optional<RegisteredLimit> registered(String id);

  List<RegisteredLimit> registeredLimits();

  /** False when the change would clash with another registered limit. */
  boolean updateRegistered(RegisteredLimit limit);

  boolean deleteRegistered(String id);

  /** False when the owner already has a limit for that service, region and resource. */
  boolean createLimit(Limit limit);

  Optional<Limit> limit(String id);

  List<Limit> limits();

  void updateLimit(Limit limit);

  boolean deleteLimit(String id);
}
