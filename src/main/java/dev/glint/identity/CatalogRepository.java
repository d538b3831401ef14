package dev.glint.identity;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Storage of the service catalog (regions, services, endpoints) and of its endpoint filters
 * (OS-EP-FILTER), implemented by {@code store}. Lists come in creation order. Each call is its own
 * transaction unless made inside {@link #inTransaction}. The links between rows (an endpoint's
 * service and region, a region's parent) are checked by the caller, not by the store.
 */
public interface CatalogRepository {
  /** A region; {@code extra} is a JSON object of the fields beyond Keystone's columns. */
  record Region(String id, String description, String parentRegionId, String extra) {}

  /** A service; its name and description live in {@code extra}, as in Keystone. */
  record Service(String id, String type, boolean enabled, String extra) {}

  /** An endpoint; {@code regionId} may be null, {@code url} may hold templates. */
  record Endpoint(
      String id,
      String serviceId,
      String iface,
      String regionId,
      String url,
      boolean enabled,
      String extra) {}

  /** An endpoint group; {@code filters} is a JSON object over service_id, region_id, interface. */
  record EndpointGroup(String id, String name, String description, String filters) {}

  /** Runs {@code work} as one write transaction; calls inside it join it. */
  <R> R inTransaction(Supplier<R> work);

  List<Region> regions();

  Optional<Region> region(String id);

  /** Inserts; false when the id is taken. */
  boolean createRegion(Region region);

  void updateRegion(Region region);

  /** Deletes the region alone; false when it did not exist. */
  boolean deleteRegion(String id);

  List<Service> services();

  Optional<Service> service(String id);

  /** Inserts; false when the id is taken. */
  boolean createService(Service service);

  void updateService(Service service);

  /** Deletes the service, its endpoints and their project associations; false when absent. */
  boolean deleteService(String id);

  List<Endpoint> endpoints();

  Optional<Endpoint> endpoint(String id);

  /** Inserts; false when the id is taken. */
  boolean createEndpoint(Endpoint endpoint);

  void updateEndpoint(Endpoint endpoint);

  /** Deletes the endpoint and its project associations; false when it did not exist. */
  boolean deleteEndpoint(String id);

  List<EndpointGroup> endpointGroups();

  Optional<EndpointGroup> endpointGroup(String id);

  void createEndpointGroup(EndpointGroup group);

  void updateEndpointGroup(EndpointGroup group);

  /** Deletes the group and its project associations; false when it did not exist. */
  boolean deleteEndpointGroup(String id);

  /** False when the association already existed. */
  boolean addProjectEndpoint(String endpointId, String projectId);

  boolean hasProjectEndpoint(String endpointId, String projectId);

  boolean removeProjectEndpoint(String endpointId, String projectId);

  /** Ids of the endpoints associated with the project directly. */
  List<String> projectEndpoints(String projectId);

  /** Ids of the projects an endpoint is associated with directly. */
  List<String> endpointProjects(String endpointId);

  /** False when the association already existed. */
  boolean addProjectEndpointGroup(String groupId, String projectId);

  boolean hasProjectEndpointGroup(String groupId, String projectId);

  boolean removeProjectEndpointGroup(String groupId, String projectId);

  /** Ids of the endpoint groups associated with the project. */
  List<String> projectEndpointGroups(String projectId);

  /** Ids of the projects an endpoint group is associated with. */
  List<String> endpointGroupProjects(String groupId);
}
