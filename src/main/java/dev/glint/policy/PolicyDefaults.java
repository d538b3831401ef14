package dev.glint.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every rule Glint checks, with its default, in one table; {@code docs/policy.md} lists it and an
 * operator's {@code policy.yaml} overrides any entry by name. The names are oslo.policy's: Glance's
 * ({@code add_image}, …), Keystone's ({@code identity:create_user}, …). Nova's images API is a
 * proxy with no policy of its own (Zed): Nova calls Glance with the user's token, so Glance's
 * rules decide, and Glint checks the compute calls against those same Glance rules.
 *
 * <p>Defaults: admin may do everything; a member manages its project's images (which images a
 * project may touch is the catalog's ownership and visibility rules); a reader, like any other
 * role, only reads. Writes need {@code member} or {@code admin} by name, so a cloud whose users
 * hold {@code _member_} adds it in its policy file.
 */
public final class PolicyDefaults {
  /** Which API a rule's operations belong to. */
  public enum Api {
    IMAGE,
    COMPUTE,
    IDENTITY,
    ALIAS
  }

  /**
   * One rule.
   *
   * @param operations the calls it guards, {@code METHOD path} with Glance's, Nova's or
   *     Keystone's path templates; empty for rules only referenced by others
   */
  public record Default(
      String name, String rule, String description, Api api, List<String> operations) {}

  static final String CONTEXT_IS_ADMIN = "context_is_admin";

  private static final String READ = "rule:default_read";
  private static final String WRITE = "rule:admin_or_member";
  private static final String ADMIN = "rule:admin_required";
  private static final String TRUST_PARTY =
      "rule:admin_required or user_id:%(target.trust.trustor_user_id)s"
          + " or user_id:%(target.trust.trustee_user_id)s";
  private static final String CREDENTIAL_OWNER =
      "rule:admin_required or user_id:%(target.credential.user_id)s";

  /** The table. Order: aliases, image service, compute, identity. */
  public static final List<Default> RULES =
      List.of(
          alias(CONTEXT_IS_ADMIN, "role:admin", "Who is an admin (oslo's is_admin:True)."),
          alias("admin_required", "role:admin", "Keystone's admin rule."),
          alias("admin_or_member", "rule:context_is_admin or role:member",
              "Who may change images: admins, and members (in projects they own images in)."),
          alias("default_read", "@",
              "Who may read: any authenticated caller; the catalog decides which images it sees."),
          alias("service_role", "role:service", "A service user (validates tokens)."),
          alias("token_subject", "user_id:%(target.token.user_id)s",
              "The user a subject token belongs to."),
          image("get_images", READ, "List images.", "GET /v2/images"),
          image("get_image", READ, "Show an image.", "GET /v2/images/{image_id}"),
          image("add_image", WRITE, "Create an image.", "POST /v2/images"),
          image("modify_image", WRITE, "Update an image, its tags.",
              "PATCH /v2/images/{image_id}", "PUT /v2/images/{image_id}/tags/{tag}",
              "DELETE /v2/images/{image_id}/tags/{tag}"),
          image("publicize_image", "rule:context_is_admin",
              "Make an image public (on create or update). Only admins in any case."),
          image("communitize_image", WRITE,
              "Make an image community (on create or update)."),
          image("delete_image", WRITE, "Delete an image.", "DELETE /v2/images/{image_id}"),
          image("upload_image", WRITE, "Upload image data.", "PUT /v2/images/{image_id}/file"),
          image("download_image", READ, "Download image data.", "GET /v2/images/{image_id}/file"),
          image("copy_image", "role:admin",
              "Copy an active image's data into more stores (import method copy-image)."),
          // Zed's defaults as it enforces them (enforce_new_defaults off: its deprecated
          // "rule:default" widens them to anyone); Glint keeps writes to members.
          image("get_image_location", READ,
              "See an image's locations and direct_url (else \"locations\": [])."),
          image("set_image_location", WRITE,
              "Add or replace an image's locations (PATCH /v2/images/{image_id}, /locations)."),
          image("delete_image_location", WRITE,
              "Remove an image's location (PATCH .../locations/N), or its data from one store"
                  + " (DELETE /v2/stores/{store_id}/{image_id})."),
          image("tasks_api_access", "role:admin",
              "Create a task (POST /v2/tasks, type import), as Glance's deprecated tasks API."),
          image("cache_list", "rule:context_is_admin",
              "List this node's image cache and queue (GET /v2/cache)."),
          image("cache_image", "rule:context_is_admin",
              "Queue an image for caching (PUT /v2/cache/{image_id})."),
          image("cache_delete", "rule:context_is_admin",
              "Drop an image from the cache and queue, or clear them (DELETE /v2/cache/{image_id},"
                  + " DELETE /v2/cache)."),
          image("deactivate", WRITE, "Deactivate an image.",
              "POST /v2/images/{image_id}/actions/deactivate"),
          image("reactivate", WRITE, "Reactivate an image.",
              "POST /v2/images/{image_id}/actions/reactivate"),
          image("get_members", READ, "List an image's members.",
              "GET /v2/images/{image_id}/members"),
          image("get_member", READ, "Show an image member.",
              "GET /v2/images/{image_id}/members/{member_id}"),
          image("add_member", WRITE, "Share an image with a project.",
              "POST /v2/images/{image_id}/members"),
          image("modify_member", WRITE, "Accept or reject a shared image.",
              "PUT /v2/images/{image_id}/members/{member_id}"),
          image("delete_member", WRITE, "Stop sharing an image with a project.",
              "DELETE /v2/images/{image_id}/members/{member_id}"),
          compute("get_images", "GET /v2.1/{project_id}/images",
              "GET /v2.1/{project_id}/images/detail"),
          compute("get_image", "GET /v2.1/{project_id}/images/{image_id}",
              "GET /v2.1/{project_id}/images/{image_id}/metadata",
              "GET /v2.1/{project_id}/images/{image_id}/metadata/{key}"),
          compute("delete_image", "DELETE /v2.1/{project_id}/images/{image_id}"),
          compute("modify_image", "POST /v2.1/{project_id}/images/{image_id}/metadata",
              "PUT /v2.1/{project_id}/images/{image_id}/metadata",
              "PUT /v2.1/{project_id}/images/{image_id}/metadata/{key}",
              "DELETE /v2.1/{project_id}/images/{image_id}/metadata/{key}"),
          identity("identity:validate_token",
              "rule:admin_required or rule:service_role or rule:token_subject",
              "GET /v3/auth/tokens", "GET /v2.0/tokens/{token_id}"),
          identity("identity:check_token", "rule:admin_required or rule:token_subject",
              "HEAD /v3/auth/tokens"),
          identity("identity:revoke_token", "rule:admin_required or rule:token_subject",
              "DELETE /v3/auth/tokens"),
          identity("identity:list_domains", ADMIN, "GET /v3/domains"),
          identity("identity:get_domain",
              "rule:admin_required or project_domain_id:%(target.domain.id)s"
                  + " or domain_id:%(target.domain.id)s",
              "GET /v3/domains/{domain_id}"),
          identity("identity:create_domain", ADMIN, "POST /v3/domains"),
          identity("identity:update_domain", ADMIN, "PATCH /v3/domains/{domain_id}"),
          identity("identity:delete_domain", ADMIN, "DELETE /v3/domains/{domain_id}"),
          identity("identity:list_projects", ADMIN, "GET /v3/projects"),
          identity("identity:get_project",
              "rule:admin_required or project_id:%(target.project.id)s",
              "GET /v3/projects/{project_id}"),
          identity("identity:create_project", ADMIN, "POST /v3/projects"),
          identity("identity:update_project", ADMIN, "PATCH /v3/projects/{project_id}"),
          identity("identity:delete_project", ADMIN, "DELETE /v3/projects/{project_id}"),
          identity("identity:list_users", ADMIN, "GET /v3/users"),
          identity("identity:get_user", "rule:admin_required or user_id:%(target.user.id)s",
              "GET /v3/users/{user_id}"),
          identity("identity:create_user", ADMIN, "POST /v3/users"),
          identity("identity:update_user", ADMIN, "PATCH /v3/users/{user_id}"),
          identity("identity:delete_user", ADMIN, "DELETE /v3/users/{user_id}"),
          identity("identity:list_user_projects",
              "rule:admin_required or user_id:%(target.user.id)s",
              "GET /v3/users/{user_id}/projects"),
          identity("identity:list_roles", ADMIN, "GET /v3/roles"),
          identity("identity:get_role", ADMIN, "GET /v3/roles/{role_id}"),
          identity("identity:create_role", ADMIN, "POST /v3/roles"),
          identity("identity:update_role", ADMIN, "PATCH /v3/roles/{role_id}"),
          identity("identity:delete_role", ADMIN, "DELETE /v3/roles/{role_id}"),
          identity("identity:create_grant", ADMIN,
              "PUT /v3/projects/{project_id}/users/{user_id}/roles/{role_id}",
              "PUT /v3/projects/{project_id}/groups/{group_id}/roles/{role_id}",
              "PUT /v3/domains/{domain_id}/users/{user_id}/roles/{role_id}",
              "PUT /v3/domains/{domain_id}/groups/{group_id}/roles/{role_id}",
              "PUT /v3/OS-INHERIT/domains/{domain_id}/users/{user_id}/roles/{role_id}/inherited_to_projects",
              "PUT /v3/OS-INHERIT/domains/{domain_id}/groups/{group_id}/roles/{role_id}/inherited_to_projects",
              "PUT /v3/OS-INHERIT/projects/{project_id}/users/{user_id}/roles/{role_id}/inherited_to_projects",
              "PUT /v3/OS-INHERIT/projects/{project_id}/groups/{group_id}/roles/{role_id}/inherited_to_projects"),
          identity("identity:check_grant", ADMIN,
              "HEAD /v3/projects/{project_id}/users/{user_id}/roles/{role_id}",
              "GET /v3/projects/{project_id}/users/{user_id}/roles/{role_id}"),
          identity("identity:revoke_grant", ADMIN,
              "DELETE /v3/projects/{project_id}/users/{user_id}/roles/{role_id}"),
          identity("identity:list_grants", ADMIN,
              "GET /v3/projects/{project_id}/users/{user_id}/roles"),
          identity("identity:list_role_assignments", ADMIN, "GET /v3/role_assignments"),
          identity("identity:list_groups", ADMIN, "GET /v3/groups"),
          identity("identity:get_group", ADMIN, "GET /v3/groups/{group_id}"),
          identity("identity:create_group", ADMIN, "POST /v3/groups"),
          identity("identity:update_group", ADMIN, "PATCH /v3/groups/{group_id}"),
          identity("identity:delete_group", ADMIN, "DELETE /v3/groups/{group_id}"),
          identity("identity:list_users_in_group", ADMIN, "GET /v3/groups/{group_id}/users"),
          identity("identity:add_user_to_group", ADMIN, "PUT /v3/groups/{group_id}/users/{user_id}"),
          identity("identity:check_user_in_group", ADMIN,
              "HEAD /v3/groups/{group_id}/users/{user_id}",
              "GET /v3/groups/{group_id}/users/{user_id}"),
          identity("identity:remove_user_from_group", ADMIN,
              "DELETE /v3/groups/{group_id}/users/{user_id}"),
          identity("identity:list_groups_for_user",
              "rule:admin_required or user_id:%(target.user.id)s", "GET /v3/users/{user_id}/groups"),
          identity("identity:list_project_tags",
              "rule:admin_required or project_id:%(target.project.id)s",
              "GET /v3/projects/{project_id}/tags"),
          identity("identity:get_project_tag",
              "rule:admin_required or project_id:%(target.project.id)s",
              "GET /v3/projects/{project_id}/tags/{value}",
              "HEAD /v3/projects/{project_id}/tags/{value}"),
          identity("identity:update_project_tags", ADMIN, "PUT /v3/projects/{project_id}/tags"),
          identity("identity:create_project_tag", ADMIN,
              "PUT /v3/projects/{project_id}/tags/{value}"),
          identity("identity:delete_project_tags", ADMIN, "DELETE /v3/projects/{project_id}/tags"),
          identity("identity:delete_project_tag", ADMIN,
              "DELETE /v3/projects/{project_id}/tags/{value}"),
          identity("identity:create_implied_role", ADMIN,
              "PUT /v3/roles/{prior_role_id}/implies/{implied_role_id}"),
          identity("identity:get_implied_role", ADMIN,
              "GET /v3/roles/{prior_role_id}/implies/{implied_role_id}"),
          identity("identity:check_implied_role", ADMIN,
              "HEAD /v3/roles/{prior_role_id}/implies/{implied_role_id}"),
          identity("identity:delete_implied_role", ADMIN,
              "DELETE /v3/roles/{prior_role_id}/implies/{implied_role_id}"),
          identity("identity:list_implied_roles", ADMIN, "GET /v3/roles/{prior_role_id}/implies"),
          identity("identity:list_role_inference_rules", ADMIN, "GET /v3/role_inferences"),
          identity("identity:list_system_grants_for_user", ADMIN, "GET /v3/system/users/{user_id}/roles"),
          identity("identity:check_system_grant_for_user", ADMIN,
              "HEAD /v3/system/users/{user_id}/roles/{role_id}",
              "GET /v3/system/users/{user_id}/roles/{role_id}"),
          identity("identity:create_system_grant_for_user", ADMIN,
              "PUT /v3/system/users/{user_id}/roles/{role_id}"),
          identity("identity:revoke_system_grant_for_user", ADMIN,
              "DELETE /v3/system/users/{user_id}/roles/{role_id}"),
          identity("identity:list_system_grants_for_group", ADMIN,
              "GET /v3/system/groups/{group_id}/roles"),
          identity("identity:check_system_grant_for_group", ADMIN,
              "HEAD /v3/system/groups/{group_id}/roles/{role_id}",
              "GET /v3/system/groups/{group_id}/roles/{role_id}"),
          identity("identity:create_system_grant_for_group", ADMIN,
              "PUT /v3/system/groups/{group_id}/roles/{role_id}"),
          identity("identity:revoke_system_grant_for_group", ADMIN,
              "DELETE /v3/system/groups/{group_id}/roles/{role_id}"),
          // The catalog (Keystone Zed's defaults; regions are readable by any token).
          identity("identity:list_regions", "@", "GET /v3/regions"),
          identity("identity:get_region", "@", "GET /v3/regions/{region_id}"),
          identity("identity:create_region", ADMIN, "POST /v3/regions",
              "PUT /v3/regions/{region_id}"),
          identity("identity:update_region", ADMIN, "PATCH /v3/regions/{region_id}"),
          identity("identity:delete_region", ADMIN, "DELETE /v3/regions/{region_id}"),
          identity("identity:list_services", ADMIN, "GET /v3/services"),
          identity("identity:get_service", ADMIN, "GET /v3/services/{service_id}"),
          identity("identity:create_service", ADMIN, "POST /v3/services"),
          identity("identity:update_service", ADMIN, "PATCH /v3/services/{service_id}"),
          identity("identity:delete_service", ADMIN, "DELETE /v3/services/{service_id}"),
          identity("identity:list_endpoints", ADMIN, "GET /v3/endpoints"),
          identity("identity:get_endpoint", ADMIN, "GET /v3/endpoints/{endpoint_id}"),
          identity("identity:create_endpoint", ADMIN, "POST /v3/endpoints"),
          identity("identity:update_endpoint", ADMIN, "PATCH /v3/endpoints/{endpoint_id}"),
          identity("identity:delete_endpoint", ADMIN, "DELETE /v3/endpoints/{endpoint_id}"),
          identity("identity:list_endpoint_groups", ADMIN,
              "GET /v3/OS-EP-FILTER/endpoint_groups"),
          identity("identity:get_endpoint_group", ADMIN,
              "GET /v3/OS-EP-FILTER/endpoint_groups/{endpoint_group_id}",
              "HEAD /v3/OS-EP-FILTER/endpoint_groups/{endpoint_group_id}"),
          identity("identity:create_endpoint_group", ADMIN,
              "POST /v3/OS-EP-FILTER/endpoint_groups"),
          identity("identity:update_endpoint_group", ADMIN,
              "PATCH /v3/OS-EP-FILTER/endpoint_groups/{endpoint_group_id}"),
          identity("identity:delete_endpoint_group", ADMIN,
              "DELETE /v3/OS-EP-FILTER/endpoint_groups/{endpoint_group_id}"),
          identity("identity:list_endpoints_associated_with_endpoint_group", ADMIN,
              "GET /v3/OS-EP-FILTER/endpoint_groups/{endpoint_group_id}/endpoints"),
          identity("identity:list_projects_associated_with_endpoint_group", ADMIN,
              "GET /v3/OS-EP-FILTER/endpoint_groups/{endpoint_group_id}/projects"),
          identity("identity:get_endpoint_group_in_project", ADMIN,
              "GET /v3/OS-EP-FILTER/endpoint_groups/{endpoint_group_id}/projects/{project_id}",
              "HEAD /v3/OS-EP-FILTER/endpoint_groups/{endpoint_group_id}/projects/{project_id}"),
          identity("identity:add_endpoint_group_to_project", ADMIN,
              "PUT /v3/OS-EP-FILTER/endpoint_groups/{endpoint_group_id}/projects/{project_id}"),
          identity("identity:remove_endpoint_group_from_project", ADMIN,
              "DELETE /v3/OS-EP-FILTER/endpoint_groups/{endpoint_group_id}/projects/{project_id}"),
          identity("identity:list_endpoint_groups_for_project", ADMIN,
              "GET /v3/OS-EP-FILTER/projects/{project_id}/endpoint_groups"),
          identity("identity:list_projects_for_endpoint", ADMIN,
              "GET /v3/OS-EP-FILTER/endpoints/{endpoint_id}/projects"),
          identity("identity:check_endpoint_in_project", ADMIN,
              "GET /v3/OS-EP-FILTER/projects/{project_id}/endpoints/{endpoint_id}",
              "HEAD /v3/OS-EP-FILTER/projects/{project_id}/endpoints/{endpoint_id}"),
          identity("identity:add_endpoint_to_project", ADMIN,
              "PUT /v3/OS-EP-FILTER/projects/{project_id}/endpoints/{endpoint_id}"),
          identity("identity:remove_endpoint_from_project", ADMIN,
              "DELETE /v3/OS-EP-FILTER/projects/{project_id}/endpoints/{endpoint_id}"),
          identity("identity:list_endpoints_for_project", ADMIN,
              "GET /v3/OS-EP-FILTER/projects/{project_id}/endpoints"),
          // Credentials: the owner or an admin (Keystone Zed's deprecated, effective defaults).
          identity("identity:list_credentials", CREDENTIAL_OWNER, "GET /v3/credentials"),
          identity("identity:get_credential", CREDENTIAL_OWNER,
              "GET /v3/credentials/{credential_id}"),
          identity("identity:create_credential", CREDENTIAL_OWNER, "POST /v3/credentials"),
          identity("identity:update_credential", CREDENTIAL_OWNER,
              "PATCH /v3/credentials/{credential_id}"),
          identity("identity:delete_credential", CREDENTIAL_OWNER,
              "DELETE /v3/credentials/{credential_id}"),
          identity("identity:ec2_list_credentials", "rule:admin_required or user_id:%(target.user.id)s",
              "GET /v3/users/{user_id}/credentials/OS-EC2"),
          identity("identity:ec2_create_credential", "rule:admin_required or user_id:%(target.user.id)s",
              "POST /v3/users/{user_id}/credentials/OS-EC2"),
          identity("identity:ec2_get_credential", CREDENTIAL_OWNER,
              "GET /v3/users/{user_id}/credentials/OS-EC2/{credential_id}"),
          identity("identity:ec2_delete_credential", CREDENTIAL_OWNER,
              "DELETE /v3/users/{user_id}/credentials/OS-EC2/{credential_id}"),
          identity("identity:list_policies", ADMIN, "GET /v3/policies"),
          identity("identity:get_policy", ADMIN, "GET /v3/policies/{policy_id}"),
          identity("identity:create_policy", ADMIN, "POST /v3/policies"),
          identity("identity:update_policy", ADMIN, "PATCH /v3/policies/{policy_id}"),
          identity("identity:delete_policy", ADMIN, "DELETE /v3/policies/{policy_id}"),
          // Trusts: the trustor creates and deletes; trustor and trustee read.
          identity("identity:create_trust", "user_id:%(target.trust.trustor_user_id)s",
              "POST /v3/OS-TRUST/trusts"),
          identity("identity:list_trusts", ADMIN, "GET /v3/OS-TRUST/trusts"),
          identity("identity:list_trusts_for_trustor",
              "rule:admin_required or user_id:%(target.trust.trustor_user_id)s",
              "GET /v3/OS-TRUST/trusts?trustor_user_id={user_id}"),
          identity("identity:list_trusts_for_trustee",
              "rule:admin_required or user_id:%(target.trust.trustee_user_id)s",
              "GET /v3/OS-TRUST/trusts?trustee_user_id={user_id}"),
          identity("identity:get_trust", TRUST_PARTY, "GET /v3/OS-TRUST/trusts/{trust_id}"),
          identity("identity:list_roles_for_trust", TRUST_PARTY,
              "GET /v3/OS-TRUST/trusts/{trust_id}/roles"),
          identity("identity:get_role_for_trust", TRUST_PARTY,
              "GET /v3/OS-TRUST/trusts/{trust_id}/roles/{role_id}"),
          identity("identity:delete_trust",
              "rule:admin_required or user_id:%(target.trust.trustor_user_id)s",
              "DELETE /v3/OS-TRUST/trusts/{trust_id}"),
          // Unified limits: anyone reads registered limits; projects read their own limits.
          identity("identity:list_registered_limits", "@", "GET /v3/registered_limits"),
          identity("identity:get_registered_limit", "@",
              "GET /v3/registered_limits/{registered_limit_id}"),
          identity("identity:create_registered_limits", ADMIN, "POST /v3/registered_limits"),
          identity("identity:update_registered_limit", ADMIN,
              "PATCH /v3/registered_limits/{registered_limit_id}"),
          identity("identity:delete_registered_limit", ADMIN,
              "DELETE /v3/registered_limits/{registered_limit_id}"),
          identity("identity:get_limit_model", "@", "GET /v3/limits/model"),
          identity("identity:list_limits", "@", "GET /v3/limits"),
          identity("identity:get_limit",
              "rule:admin_required or project_id:%(target.limit.project_id)s",
              "GET /v3/limits/{limit_id}"),
          identity("identity:create_limits", ADMIN, "POST /v3/limits"),
          identity("identity:update_limit", ADMIN, "PATCH /v3/limits/{limit_id}"),
          identity("identity:delete_limit", ADMIN, "DELETE /v3/limits/{limit_id}"),
          identity("identity:list_consumers", ADMIN, "GET /v3/OS-OAUTH1/consumers"),
          identity("identity:get_consumer", ADMIN, "GET /v3/OS-OAUTH1/consumers/{consumer_id}"),
          identity("identity:create_consumer", ADMIN, "POST /v3/OS-OAUTH1/consumers"),
          identity("identity:update_consumer", ADMIN,
              "PATCH /v3/OS-OAUTH1/consumers/{consumer_id}"),
          identity("identity:delete_consumer", ADMIN,
              "DELETE /v3/OS-OAUTH1/consumers/{consumer_id}"),
          identity("identity:create_domain_config", ADMIN, "PUT /v3/domains/{domain_id}/config"),
          identity("identity:get_domain_config", ADMIN,
              "GET /v3/domains/{domain_id}/config",
              "GET /v3/domains/{domain_id}/config/{group}",
              "GET /v3/domains/{domain_id}/config/{group}/{option}"),
          identity("identity:update_domain_config", ADMIN,
              "PATCH /v3/domains/{domain_id}/config",
              "PATCH /v3/domains/{domain_id}/config/{group}",
              "PATCH /v3/domains/{domain_id}/config/{group}/{option}"),
          identity("identity:delete_domain_config", ADMIN,
              "DELETE /v3/domains/{domain_id}/config",
              "DELETE /v3/domains/{domain_id}/config/{group}",
              "DELETE /v3/domains/{domain_id}/config/{group}/{option}"),
          identity("identity:get_domain_config_default", ADMIN,
              "GET /v3/domains/config/default",
              "GET /v3/domains/config/{group}/default",
              "GET /v3/domains/config/{group}/{option}/default"),
          identity("identity:authorize_request_token", ADMIN,
              "PUT /v3/OS-OAUTH1/authorize/{request_token_id}"),
          identity("identity:list_access_tokens", ADMIN,
              "GET /v3/users/{user_id}/OS-OAUTH1/access_tokens"),
          identity("identity:get_access_token", ADMIN,
              "GET /v3/users/{user_id}/OS-OAUTH1/access_tokens/{access_token_id}"),
          identity("identity:delete_access_token", ADMIN,
              "DELETE /v3/users/{user_id}/OS-OAUTH1/access_tokens/{access_token_id}"),
          identity("identity:list_access_token_roles", ADMIN,
              "GET /v3/users/{user_id}/OS-OAUTH1/access_tokens/{access_token_id}/roles"),
          identity("identity:get_access_token_role", ADMIN,
              "GET /v3/users/{user_id}/OS-OAUTH1/access_tokens/{access_token_id}/roles/{role_id}"),
          identity("identity:create_application_credential", "user_id:%(target.user.id)s",
              "POST /v3/users/{user_id}/application_credentials"),
          identity("identity:list_application_credentials",
              "rule:admin_required or user_id:%(target.user.id)s",
              "GET /v3/users/{user_id}/application_credentials"),
          identity("identity:get_application_credential",
              "rule:admin_required or user_id:%(target.user.id)s",
              "GET /v3/users/{user_id}/application_credentials/{application_credential_id}"),
          identity("identity:delete_application_credential",
              "rule:admin_required or user_id:%(target.user.id)s",
              "DELETE /v3/users/{user_id}/application_credentials/{application_credential_id}"),
          identity("identity:list_access_rules",
              "rule:admin_required or user_id:%(target.user.id)s",
              "GET /v3/users/{user_id}/access_rules"),
          identity("identity:get_access_rule",
              "rule:admin_required or user_id:%(target.user.id)s",
              "GET /v3/users/{user_id}/access_rules/{access_rule_id}"),
          identity("identity:delete_access_rule",
              "rule:admin_required or user_id:%(target.user.id)s",
              "DELETE /v3/users/{user_id}/access_rules/{access_rule_id}"));

  private PolicyDefaults() {}

  private static Default alias(String name, String rule, String description) {
    return new Default(name, rule, description, Api.ALIAS, List.of());
  }

  private static Default image(String name, String rule, String description, String... ops) {
    return new Default(name, rule, description, Api.IMAGE, List.of(ops));
  }

  /** A compute call, checked against the Glance rule Nova's proxy would meet. */
  private static Default compute(String glanceRule, String... ops) {
    return new Default(glanceRule, null, "", Api.COMPUTE, List.of(ops));
  }

  private static Default identity(String name, String rule, String... ops) {
    return new Default(name, rule, "", Api.IDENTITY, List.of(ops));
  }

  /** Rule name → default expression (compute rows share the image rows' names and rules). */
  static Map<String, String> expressions() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Default d : RULES) {
      if (d.rule() != null) {
        out.put(d.name(), d.rule());
      }
    }
    return out;
  }
}
