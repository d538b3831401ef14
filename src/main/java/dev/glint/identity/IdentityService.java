package dev.glint.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.config.GlintConfig;
import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import dev.glint.http.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Users, projects, roles and authentication: the bootstrap, token issue (password and token
 * methods, Keystone's scoping rules), subject-token validation with live checks, and revocation.
 * Thread-safe.
 */
public final class IdentityService implements AutoCloseable {
  static final String OAUTH1 = "oauth1";

  /** The methods this server accepts, in Keystone's {@code [auth] methods} order. */
  static final List<String> METHODS =
      List.of("password", "token", OAUTH1, "application_credential");

  static final String DEFAULT_DOMAIN_ID = "default";
  static final String DEFAULT_DOMAIN_NAME = "Default";

  private final IdentityRepository repository;
  private final TokenService tokens;
  private final GlintConfig config;
  private final RevocationList revocations;
  private final ServiceCatalog catalog;
  private final IdentityAdminService admin;
  private final LoginGuard guard;
  private final Authorization authorization;
  private final ApplicationCredentialService applicationCredentials;
  private final EffectiveRoles effective;
  private final AccountService accounts;
  private final CatalogAdminService catalogAdmin;
  private final FernetKeys credentialKeys;
  private final CredentialService credentials;
  private final PolicyBlobService policyBlobs;
  private final TrustService trusts;
  private final LimitService limits;
  private final ConsumerService consumers;
  private final OAuthTokenService oauth;
  private final DomainConfigService domainConfigs;
  private final PasswordCompliance passwords;

  public IdentityService(
      IdentityRepository repository,
      TokenService tokens,
      GlintConfig config,
      RevocationList revocations,
      java.time.Clock clock,
      Authorization authorization,
      ApplicationCredentialRepository applicationCredentials,
      AccountRepository accounts,
      CatalogRepository catalogRows,
      CredentialRepository credentialRows,
      PolicyBlobRepository policyBlobRows,
      TrustRepository trustRows,
      LimitRepository limitRows,
      PasswordHistoryRepository passwordHistory,
      ConsumerRepository consumerRows,
      DomainConfigRepository domainConfigRows) {
    this.guard = new LoginGuard(repository, config.identitySettings(), clock);
    this.authorization = authorization;
    this.applicationCredentials =
        new ApplicationCredentialService(
            applicationCredentials, repository, authorization, clock, this, revocations,
            tokens.ttl());
    this.repository = repository;
    this.tokens = tokens;
    this.config = config;
    this.revocations = revocations;
    this.catalog = new ServiceCatalog(catalogRows);
    this.catalogAdmin = new CatalogAdminService(catalog, repository, authorization);
    // Keystone keeps credential keys apart from token keys ([credential] key_repository).
    this.credentialKeys =
        FernetKeys.open(
            config.identitySettings().keysDir().resolveSibling("credential-keys"),
            config.identitySettings().keysPoll());
    this.credentials =
        new CredentialService(credentialRows, repository, authorization, credentialKeys, clock);
    this.policyBlobs = new PolicyBlobService(policyBlobRows, authorization);
    this.trusts =
        new TrustService(trustRows, repository, this, authorization, clock, revocations, tokens.ttl());
    this.limits = new LimitService(limitRows, catalogRows, repository, authorization);
    this.oauth =
        new OAuthTokenService(
            consumerRows, credentials, repository, this, authorization, revocations, tokens.ttl(),
            clock);
    this.consumers = new ConsumerService(consumerRows, credentials, authorization, oauth);
    this.domainConfigs =
        new DomainConfigService(domainConfigRows, repository, credentials, authorization);
    this.passwords =
        new PasswordCompliance(config.identitySettings().passwords(), passwordHistory, clock);
    this.admin =
        new IdentityAdminService(
            repository, accounts, revocations, tokens.ttl(), authorization, passwords);
    this.accounts = admin.accounts();
    this.effective = this.accounts.effective();
  }

  /** Domains, groups, assignments of every kind and implied roles. */
  public AccountService accounts() {
    return accounts;
  }

  public ServiceCatalog catalog() {
    return catalog;
  }

  /** The catalog API: regions, services, endpoints and endpoint filters. */
  public CatalogAdminService catalogAdmin() {
    return catalogAdmin;
  }

  /** Credentials and EC2 credentials. */
  public CredentialService credentials() {
    return credentials;
  }

  /** The deprecated policy blob API. */
  public PolicyBlobService policyBlobs() {
    return policyBlobs;
  }

  /** Trusts (OS-TRUST). */
  public TrustService trusts() {
    return trusts;
  }

  /** Unified limits: registered limits and project or domain limits. */
  public LimitService limits() {
    return limits;
  }

  /** OAuth1 consumers. */
  public ConsumerService consumers() {
    return consumers;
  }

  /** Domain-specific configuration (stored, not acted on). */
  public DomainConfigService domainConfigs() {
    return domainConfigs;
  }

  /** OAuth1 request and access tokens. */
  public OAuthTokenService oauth() {
    return oauth;
  }

  /** Application credentials: their API and their auth method. */
  public ApplicationCredentialService applicationCredentials() {
    return applicationCredentials;
  }

  /** The admin API (projects, users, roles, grants) over the same store. */
  public IdentityAdminService admin() {
    return admin;
  }

  // ---------------------------------------------------------------- bootstrap

  /**
   * Creates what a first start needs, and only what is missing: domain {@code default}, roles
   * admin ⇒ member ⇒ reader, projects {@code admin} and {@code demo}, users {@code admin} (admin on
   * project admin) and {@code demo} (member on project demo), and their openrc files. A password
   * given by configuration replaces a different stored one, so changing it takes effect on the
   * next start. Safe to run on every start and on several nodes at once.
   */
  public BootstrapResult bootstrap() {
    return bootstrapInBackground(Runnable::run).accounts().join();
  }

  /**
   * As {@link #bootstrap()}, split for {@code glint serve}: the domain, roles and projects now
   * (a few cheap statements), the two accounts on {@code executor}, because they may cost bcrypt
   * work (hashing a new password, checking a configured one against the stored hash) that must
   * not delay the listeners. Password logins wait until the accounts are done, so they always see
   * the configured passwords. A token issued before a configured password changed stays valid
   * until the accounts are done (about a second after the start), then is revoked as usual.
   */
  public PendingBootstrap bootstrapInBackground(java.util.concurrent.Executor executor) {
    repository.ensureDomain(
        new Domain(DEFAULT_DOMAIN_ID, DEFAULT_DOMAIN_NAME, "The default domain", true));
    Role admin = ensureRole("admin");
    Role member = ensureRole("member");
    Role reader = ensureRole("reader");
    repository.ensureImplication(admin.id(), member.id());
    repository.ensureImplication(member.id(), reader.id());
    Project adminProject = ensureProject("admin", "Bootstrap project for initializing the cloud.");
    Project demoProject = ensureProject("demo", "Demo project");
    // The catalog is cheap and every token carries it: in place before the listeners open.
    catalog.seed(config);
    CompletableFuture<BootstrapResult> accounts =
        CompletableFuture.supplyAsync(
            () -> {
              BootstrapResult.Account adminAccount =
                  ensureAccount("admin", config.adminPassword(), adminProject, admin);
              BootstrapResult.Account demoAccount =
                  ensureAccount("demo", config.demoPassword(), demoProject, member);
              return new BootstrapResult(
                  adminAccount.created() || demoAccount.created(), adminAccount, demoAccount);
            },
            executor);
    // Logins wait for this one, which never fails: a failed bootstrap is the caller's to report.
    accountsReady = accounts.handle((result, failure) -> null);
    return new PendingBootstrap(adminProject.id(), demoProject.id(), accounts);
  }

  /**
   * The projects {@link #bootstrapInBackground} made sure of, and its accounts, still to come.
   *
   * @param accounts completes with what {@link #bootstrap()} returns, or with its failure
   */
  public record PendingBootstrap(
      String adminProjectId, String demoProjectId, CompletableFuture<BootstrapResult> accounts) {}

  /** Completes when the bootstrap accounts are in place; password checks wait for it. */
  private volatile CompletableFuture<Void> accountsReady = CompletableFuture.completedFuture(null);

  /** Password logins look the user up and check its hash only once the bootstrap made both. */
  private void awaitAccounts() {
    CompletableFuture<Void> ready = accountsReady;
    if (!ready.isDone()) {
      ready.join();
    }
  }

  private Role ensureRole(String name) {
    repository.ensureRole(new Role(newId(), name));
    return repository.roleByName(name).orElseThrow();
  }

  private Project ensureProject(String name, String description) {
    repository.ensureProject(new Project(newId(), name, DEFAULT_DOMAIN_ID, description, true));
    return repository.projectByName(DEFAULT_DOMAIN_ID, name).orElseThrow();
  }

  private BootstrapResult.Account ensureAccount(
      String name, Optional<String> configured, Project project, Role role) {
    Optional<User> existing = repository.userByName(DEFAULT_DOMAIN_ID, name);
    boolean created = false;
    boolean updated = false;
    Optional<String> generated = Optional.empty();
    String password = configured.orElse(null);
    User user;
    if (existing.isEmpty()) {
      if (password == null) {
        password = Passwords.generate();
        generated = Optional.of(password);
      }
      String hash = Passwords.hash(password);
      repository.ensureUser(
          new User(newId(), name, DEFAULT_DOMAIN_ID, true, project.id(), "{}"), hash);
      user = repository.userByName(DEFAULT_DOMAIN_ID, name).orElseThrow();
      // Another node may have won the insert with its own password; ours is then not the one.
      // Our hash has its own random salt, so the stored one equals it only if our insert won.
      created = hash.equals(repository.passwordHash(user.id()).orElse(null));
      if (!created) {
        password = configured.orElse(null);
        generated = Optional.empty();
      }
    } else {
      user = existing.get();
      if (user.defaultProjectId() == null) {
        repository.setDefaultProject(user.id(), project.id());
      }
    }
    if (!created && password != null
        && !Passwords.matches(password, repository.passwordHash(user.id()).orElse(null))) {
      repository.setPasswordHash(user.id(), Passwords.hash(password));
      // As Keystone does on a password change: tokens issued until now stop validating.
      revocations.revokeUser(user.id(), null, tokens.ttl());
      updated = true;
    }
    repository.grant(project.id(), user.id(), role.id());
    // Keep the openrc in step with the configured URLs and region. A generated password is known
    // only now or from the openrc itself (when it still matches the stored hash).
    Path openrc = config.dataDir().resolve(name + "-openrc.sh");
    String current = OpenRc.read(openrc);
    if (password == null) {
      String fromFile = OpenRc.password(current);
      // An openrc already as we would write it needs no rewrite, so no bcrypt check either.
      if (fromFile != null && renderOpenRc(name, fromFile, project).equals(current)) {
        password = fromFile;
      } else if (Passwords.matches(fromFile, repository.passwordHash(user.id()).orElse(null))) {
        password = fromFile;
      }
    }
    String wanted = password == null ? null : renderOpenRc(name, password, project);
    boolean write = wanted != null && !wanted.equals(current);
    if (write) {
      OpenRc.write(openrc, wanted);
    }
    return new BootstrapResult.Account(
        user.id(), name, project.id(), project.name(), created, generated, updated, openrc, write);
  }

  private String renderOpenRc(String name, String password, Project project) {
    return OpenRc.render(
        config.identity().publicUrl() + "/v3", name, password, project.name(), config.region());
  }

  /** A new id as Keystone makes them: uuid4 as 32 lower-case hex characters. */
  static String newId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  // ---------------------------------------------------------------- tokens

  /** The caller behind an {@code X-Auth-Token}, or a 401. */
  public Caller caller(String authToken) {
    return tokens
        .validate(authToken)
        .orElseThrow(() -> KeystoneErrors.unauthorized("invalid or missing X-Auth-Token"));
  }

  /**
   * {@code POST /v3/auth/tokens} from a source address: as {@link #authenticate(AuthRequest)},
   * refused with 429 while that source has spent its failed attempts.
   */
  public TokenInfo authenticate(AuthRequest request, String source) {
    return authenticate(request, source, null);
  }

  /**
   * As {@link #authenticate(AuthRequest, String)}, with the request as signed for OAuth1 (the
   * {@code oauth1} method reads its signature); null when the request has none.
   */
  public TokenInfo authenticate(
      AuthRequest request, String source, OAuthTokenService.Signed signed) {
    return guard.throttled(source, () -> authenticate(request, signed));
  }

  /**
   * {@code POST /v3/auth/tokens}. Follows Keystone's order: method payloads present, methods
   * supported, scope resolved (unknown or disabled target → 401), then each method authenticates,
   * then the default project fills in a missing scope, then the roles on the scope are checked.
   */
  public TokenInfo authenticate(AuthRequest request) {
    return authenticate(request, (OAuthTokenService.Signed) null);
  }

  private TokenInfo authenticate(AuthRequest request, OAuthTokenService.Signed signed) {
    JsonNode identity = request.identity();
    for (String m : request.methods()) {
      if (!identity.has(m)) {
        throw KeystoneErrors.expecting(m, "identity");
      }
    }
    for (String m : request.methods()) {
      if (!METHODS.contains(m)) {
        throw new UnsupportedMethodException(METHODS);
      }
    }
    Scope scope = resolveScope(request.scope());

    String userId = null;
    Caller original = null;
    ApplicationCredential credential = null;
    ConsumerRepository.AccessToken accessToken = null;
    Set<String> methods = new LinkedHashSet<>();
    for (String m : new LinkedHashSet<>(request.methods())) {
      String authenticated;
      if (m.equals("password")) {
        authenticated = authenticatePassword(identity.get("password"));
        methods.add("password");
      } else if (m.equals(ApplicationCredentialService.METHOD)) {
        credential = applicationCredentials.authenticate(identity.get(m));
        authenticated = credential.userId();
        methods.add(m);
      } else if (m.equals(OAUTH1)) {
        accessToken = oauth.authenticate(signed);
        authenticated = accessToken.authorizingUserId();
        methods.add(m);
      } else {
        original = authenticateToken(identity.get("token"));
        if (original.trust() != null) {
          throw KeystoneErrors.forbiddenAction(
              "Using trust-scoped token to create another token. Create a new trust-scoped token"
                  + " instead");
        }
        if (original.applicationCredentialId() != null) {
          throw KeystoneErrors.unauthorized("an application credential token cannot be re-scoped");
        }
        if (original.oauthAccessTokenId() != null) {
          throw KeystoneErrors.forbiddenAction(
              "Using OAuth-scoped token to create another token. Create a new OAuth-scoped token"
                  + " instead");
        }
        authenticated = original.userId();
        methods.add("token");
        methods.addAll(original.methods());
      }
      if (userId != null && !userId.equals(authenticated)) {
        throw KeystoneErrors.unauthorized("methods authenticated different users");
      }
      userId = authenticated;
    }
    if (userId == null) {
      throw KeystoneErrors.unauthorized("no method authenticated a user");
    }
    User user = enabledUser(userId);
    Domain userDomain = enabledDomain(user.domainId());

    Project project = scope.project();
    if (accessToken != null) {
      // As Keystone: the access token's project is the scope, whatever was asked.
      project = oauthProject(accessToken);
    } else if (credential != null) {
      project = credentialProject(credential, scope, methods);
    } else if (scope.kind() == ScopeKind.NONE) {
      project = defaultProject(user).orElse(null);
    } else if (scope.kind() == ScopeKind.DOMAIN || scope.kind() == ScopeKind.SYSTEM) {
      return issueOutsideProject(user, userDomain, scope, methods, original);
    } else if (scope.kind() == ScopeKind.TRUST) {
      return issueForTrust(user, scope, methods, original);
    }
    List<Role> roles = List.of();
    Domain projectDomain = null;
    if (project != null) {
      roles = effectiveRoles(user.id(), project.id());
      if (credential != null) {
        roles = credentialRoles(credential, roles);
      }
      if (accessToken != null) {
        roles = oauthRoles(accessToken, roles);
      }
      if (roles.isEmpty()) {
        throw KeystoneErrors.unauthorized(
            "User " + user.id() + " has no access to project " + project.id());
      }
      projectDomain = repository.domain(project.domainId()).orElseThrow();
    }
    java.time.Instant expiresAt = original == null ? null : original.expiresAt();
    if (credential != null
        && credential.expiresAt() != null
        && credential.expiresAt().isBefore(java.time.Instant.now().plus(tokens.ttl()))) {
      // As Keystone: a token does not outlive the application credential it came from.
      expiresAt = credential.expiresAt();
    }
    if (accessToken != null
        && accessToken.expiresAt() != null
        && accessToken.expiresAt().isBefore(java.time.Instant.now().plus(tokens.ttl()))) {
      // Nor the OAuth1 access token: the image listeners see only the token's own expiry.
      expiresAt = accessToken.expiresAt();
    }
    TokenService.Issued issued =
        tokens.issue(
            claims(user, roles, methods, project)
                .withExpiry(expiresAt)
                .withAuditChain(original == null ? null : original.auditChainId())
                .withApplicationCredential(
                    credential == null ? null : credential.id(),
                    credential == null ? List.of() : applicationCredentials.accessRules(credential))
                .withOAuthAccessToken(accessToken == null ? null : accessToken.id()));
    return info(
        issued.id(), issued.caller(), user, userDomain, project, projectDomain, roles, credential,
        accessToken);
  }

  /** The project an OAuth1 access token delegates; it must still be usable (else 401). */
  private Project oauthProject(ConsumerRepository.AccessToken accessToken) {
    Project project =
        repository
            .project(accessToken.projectId())
            .filter(Project::enabled)
            .orElseThrow(() -> KeystoneErrors.unauthorized("access token project unusable"));
    enabledDomain(project.domainId());
    return project;
  }

  /**
   * Keystone's {@code _get_oauth_roles}: the access token's roles and the roles they imply, each
   * kept only while the user still holds it on the project ({@code effective}).
   */
  private List<Role> oauthRoles(ConsumerRepository.AccessToken accessToken, List<Role> effective) {
    List<Role> delegated = new ArrayList<>();
    for (String id : accessToken.roleIds()) {
      repository.role(id).ifPresent(delegated::add);
    }
    Set<String> granted = new java.util.HashSet<>();
    for (Role r : withImplied(delegated)) {
      granted.add(r.id());
    }
    return effective.stream().filter(r -> granted.contains(r.id())).toList();
  }

  /**
   * A token scoped to a trust, as Keystone Zed issues one: only the trustee may ask (403), the
   * trustor must still be enabled and hold every delegated role (403), a use is spent (none left:
   * 401). The token's user is the trustor when the trust impersonates; its project and roles are
   * the trust's; it expires with the trust at the latest.
   */
  private TokenInfo issueForTrust(User trustee, Scope scope, Set<String> methods, Caller original) {
    TrustRepository.Trust trust = scope.trust();
    if (!trustee.id().equals(trust.trusteeUserId())) {
      throw KeystoneErrors.forbidden();
    }
    User trustor =
        repository.user(trust.trustorUserId()).filter(User::enabled)
            .orElseThrow(KeystoneErrors::forbidden);
    repository.domain(trustor.domainId()).filter(Domain::enabled)
        .orElseThrow(() -> ApiException.notFound("Trustor domain is disabled."));
    List<Role> roles = trusts.tokenRoles(trust);
    Project project = scope.project();
    if (!trusts.consumeUse(trust.id())) {
      // Used up (or deleted) since it was looked up: Keystone's TrustNotFound, a 401 here.
      throw KeystoneErrors.unauthorized("Could not find trust: " + trust.id() + ".");
    }
    User user = trust.impersonation() ? trustor : trustee;
    Domain userDomain = enabledDomain(user.domainId());
    java.time.Instant expiresAt = original == null ? null : original.expiresAt();
    java.time.Instant byLifetime = java.time.Instant.now().plus(tokens.ttl());
    if (trust.expiresAt() != null
        && trust.expiresAt().isBefore(expiresAt == null ? byLifetime : expiresAt)) {
      expiresAt = trust.expiresAt();
    }
    Caller.TrustScope scoped =
        new Caller.TrustScope(
            trust.id(), trust.trustorUserId(), trust.trusteeUserId(), trust.impersonation());
    TokenService.Issued issued =
        tokens.issue(
            claims(user, roles, methods, project)
                .withTrust(scoped)
                .withExpiry(expiresAt)
                .withAuditChain(original == null ? null : original.auditChainId()));
    Domain projectDomain = project == null ? null : repository.domain(project.domainId()).orElseThrow();
    return TokenInfo.of(issued.id(), issued.caller(), user, userDomain, roles)
        .withProject(project, projectDomain)
        .withTrust(scoped);
  }

  /** A domain- or system-scoped token: the user must hold a role there (else 401). */
  private TokenInfo issueOutsideProject(
      User user, Domain userDomain, Scope scope, Set<String> methods, Caller original) {
    boolean system = scope.kind() == ScopeKind.SYSTEM;
    List<Role> roles =
        system ? effective.onSystem(user.id()) : effective.onDomain(user.id(), scope.domain().id());
    if (roles.isEmpty()) {
      throw KeystoneErrors.unauthorized(
          "User " + user.id() + " has no access to " + (system ? "the system" : "domain "
              + scope.domain().id()));
    }
    TokenService.Issued issued =
        tokens.issue(
            claims(user, roles, methods, null)
                .withDomain(
                    system ? null : scope.domain().id(), system ? null : scope.domain().name())
                .withSystem(system)
                .withExpiry(original == null ? null : original.expiresAt())
                .withAuditChain(original == null ? null : original.auditChainId()));
    return TokenInfo.of(issued.id(), issued.caller(), user, userDomain, roles)
        .withDomain(system ? null : scope.domain())
        .withSystem(system);
  }

  /**
   * The project an application credential logs into: its own. Alone among the methods; a scope,
   * if asked, must be that project.
   */
  private Project credentialProject(
      ApplicationCredential credential, Scope scope, Set<String> methods) {
    if (methods.size() > 1) {
      throw KeystoneErrors.unauthorized("application_credential cannot be combined");
    }
    if (scope.kind() != ScopeKind.NONE
        && !(scope.kind() == ScopeKind.PROJECT
            && scope.project().id().equals(credential.projectId()))) {
      throw KeystoneErrors.unauthorized("an application credential is bound to its project");
    }
    return repository
        .project(credential.projectId())
        .filter(Project::enabled)
        .orElseThrow(() -> KeystoneErrors.unauthorized("application credential project unusable"));
  }

  /**
   * The credential's roles and the roles they imply, each still held by the user (the {@code
   * effective} roles); a credential role the user lost makes the credential unusable (401).
   */
  private List<Role> credentialRoles(ApplicationCredential credential, List<Role> effective) {
    Set<String> held = new java.util.HashSet<>();
    effective.forEach(r -> held.add(r.id()));
    if (!held.containsAll(credential.roleIds())) {
      throw KeystoneErrors.unauthorized("the user no longer holds every role of the credential");
    }
    Set<String> granted = new java.util.HashSet<>();
    for (Role r : withImplied(applicationCredentials.roles(credential))) {
      granted.add(r.id());
    }
    return effective.stream().filter(r -> granted.contains(r.id())).toList();
  }

  /**
   * The user a {@code user} reference names (by id, or by name in a domain), for the application
   * credential method's name form; empty when unknown.
   */
  Optional<User> lookupUser(JsonNode userRef) {
    String id = AuthRequest.text(userRef, "id");
    String name = AuthRequest.text(userRef, "name");
    if (name != null && !name.isEmpty()) {
      JsonNode domain = userRef.get("domain");
      if (domain == null || domain.isNull()) {
        throw KeystoneErrors.expecting("domain", "user");
      }
      AuthRequest.DomainRef ref = AuthRequest.DomainRef.of(domain);
      Optional<Domain> d =
          ref.name() != null && !ref.name().isEmpty()
              ? repository.domainByName(ref.name())
              : ref.id() == null ? Optional.empty() : repository.domain(ref.id());
      return d.flatMap(found -> repository.userByName(found.id(), name));
    }
    return id == null ? Optional.empty() : repository.user(id);
  }

  /**
   * Legacy {@code POST /v2.0/tokens}: default-domain users and tenants only; no tenant gives an
   * unscoped token (the default project does not apply, as in Queens); a token re-scope keeps the
   * original expiry. Every failure to authenticate or scope is a 401.
   */
  public TokenInfo authenticateV2(V2AuthRequest request, String source) {
    return guard.throttled(source, () -> authenticateV2(request));
  }

  private TokenInfo authenticateV2(V2AuthRequest request) {
    User user;
    Caller original = null;
    List<String> methods;
    if (request.tokenId() != null) {
      original =
          tokens
              .validate(request.tokenId())
              .orElseThrow(() -> KeystoneErrors.unauthorized("invalid token to re-scope"));
      user = enabledUser(original.userId());
      LinkedHashSet<String> union = new LinkedHashSet<>(List.of("token"));
      union.addAll(original.methods());
      methods = List.copyOf(union);
    } else {
      awaitAccounts();
      Optional<User> found =
          request.userId() != null
              ? repository.user(request.userId())
              : repository.userByName(DEFAULT_DOMAIN_ID, request.username());
      if (!guard.verify(found.orElse(null), request.password())) {
        throw KeystoneErrors.unauthorized("Invalid username or password");
      }
      if (passwords.expired(found.get().id())) {
        throw KeystoneErrors.unauthorized("The password is expired");
      }
      user = found.get();
      methods = List.of("password");
    }
    if (!user.enabled() || !user.domainId().equals(DEFAULT_DOMAIN_ID)) {
      throw KeystoneErrors.unauthorized("user not usable through v2.0");
    }
    Domain domain = enabledDomain(DEFAULT_DOMAIN_ID);
    Project project = null;
    if (request.tenantId() != null) {
      project = repository.project(request.tenantId()).orElse(null);
    } else if (request.tenantName() != null) {
      project = repository.projectByName(DEFAULT_DOMAIN_ID, request.tenantName()).orElse(null);
    }
    if ((request.tenantId() != null || request.tenantName() != null)
        && (project == null || !project.enabled() || !project.domainId().equals(DEFAULT_DOMAIN_ID))) {
      throw KeystoneErrors.unauthorized("tenant not found");
    }
    List<Role> roles = List.of();
    if (project != null) {
      roles = effectiveRoles(user.id(), project.id());
      if (roles.isEmpty()) {
        throw KeystoneErrors.unauthorized(
            "User " + user.id() + " has no access to project " + project.id());
      }
    }
    TokenService.Issued issued =
        tokens.issue(
            claims(user, roles, methods, project)
                .withExpiry(original == null ? null : original.expiresAt())
                .withAuditChain(original == null ? null : original.auditChainId()));
    return info(
        issued.id(), issued.caller(), user, domain, project, project == null ? null : domain, roles,
        null);
  }

  private enum ScopeKind { NONE, UNSCOPED, PROJECT, DOMAIN, SYSTEM, TRUST }

  private record Scope(
      ScopeKind kind, Project project, Domain domain, TrustRepository.Trust trust) {
    Scope(ScopeKind kind, Project project) {
      this(kind, project, null, null);
    }

    Scope(ScopeKind kind, Project project, Domain domain) {
      this(kind, project, domain, null);
    }
  }

  private Scope resolveScope(JsonNode scope) {
    if (scope == null) {
      return new Scope(ScopeKind.NONE, null);
    }
    if (scope.isTextual()) {
      if (scope.textValue().equals("unscoped")) {
        return new Scope(ScopeKind.UNSCOPED, null);
      }
      throw scopeChoice();
    }
    int given = 0;
    for (String k : List.of("project", "domain", "unscoped", "system", "OS-TRUST:trust")) {
      given += scope.has(k) ? 1 : 0;
    }
    if (given != 1) {
      throw scopeChoice();
    }
    if (scope.has("unscoped")) {
      return new Scope(ScopeKind.UNSCOPED, null);
    }
    if (scope.has("OS-TRUST:trust")) {
      // Keystone's _lookup_trust; a trust deleted, expired or used up is a 401 (TrustNotFound
      // turned Unauthorized by authenticate_for_token), its project looked up as a scope's.
      String id = AuthRequest.text(scope.get("OS-TRUST:trust"), "id");
      if (id == null || id.isEmpty()) {
        throw KeystoneErrors.expecting("trust_id", "trust");
      }
      TrustRepository.Trust trust;
      try {
        trust = trusts.live(id);
      } catch (ApiException e) {
        throw KeystoneErrors.unauthorized("Could not find trust: " + id + ".");
      }
      Project project =
          trust.projectId() == null
              ? null
              : lookupProject(Json.MAPPER.createObjectNode().put("id", trust.projectId()));
      return new Scope(ScopeKind.TRUST, project, null, trust);
    }
    if (scope.has("system")) {
      return new Scope(ScopeKind.SYSTEM, null);
    }
    if (scope.has("domain")) {
      return new Scope(
          ScopeKind.DOMAIN, null, lookupDomain(AuthRequest.DomainRef.of(scope.get("domain"))));
    }
    return new Scope(ScopeKind.PROJECT, lookupProject(scope.get("project")));
  }

  private static RuntimeException scopeChoice() {
    return KeystoneErrors.expecting(
        "system, project, domain, OS-TRUST:trust or unscoped", "scope");
  }

  /** Keystone's {@code _lookup_project}: by name (needs a domain) or id; unknown → 401. */
  private Project lookupProject(JsonNode ref) {
    String name = AuthRequest.text(ref, "name");
    Project project;
    if (name != null && !name.isEmpty()) {
      if (!ref.has("domain")) {
        throw KeystoneErrors.expecting("domain", "project");
      }
      Domain domain = lookupDomain(AuthRequest.DomainRef.of(ref.get("domain")));
      project =
          repository
              .projectByName(domain.id(), name)
              .orElseThrow(() -> KeystoneErrors.unauthorized("Could not find project: " + name));
    } else {
      String id = AuthRequest.text(ref, "id");
      project =
          (id == null ? Optional.<Project>empty() : repository.project(id))
              .orElseThrow(() -> KeystoneErrors.unauthorized("Could not find project: " + id));
      lookupDomain(new AuthRequest.DomainRef(project.domainId(), null));
    }
    if (!project.enabled()) {
      throw KeystoneErrors.unauthorized("Project is disabled: " + project.id());
    }
    return project;
  }

  /** Keystone's {@code _lookup_domain}: name wins over id; unknown or disabled → 401. */
  private Domain lookupDomain(AuthRequest.DomainRef ref) {
    Optional<Domain> domain =
        ref.name() != null && !ref.name().isEmpty()
            ? repository.domainByName(ref.name())
            : ref.id() == null ? Optional.empty() : repository.domain(ref.id());
    Domain d = domain.orElseThrow(() -> KeystoneErrors.unauthorized("Could not find domain"));
    if (!d.enabled()) {
      throw KeystoneErrors.unauthorized("Domain is disabled: " + d.id());
    }
    return d;
  }

  /** Keystone's password plugin: user by id, or by name in a domain; then the bcrypt check. */
  private String authenticatePassword(JsonNode payload) {
    awaitAccounts();
    JsonNode userRef = payload.get("user");
    if (userRef == null || userRef.isNull()) {
      throw KeystoneErrors.expecting("user", "password");
    }
    String id = AuthRequest.text(userRef, "id");
    String name = AuthRequest.text(userRef, "name");
    if ((id == null || id.isEmpty()) && (name == null || name.isEmpty())) {
      throw KeystoneErrors.expecting("id or name", "user");
    }
    String password = AuthRequest.text(userRef, "password");
    if (name != null && !name.isEmpty() && !userRef.has("domain")) {
      throw KeystoneErrors.expecting("domain", "user");
    }
    // Every way to fail below costs one bcrypt verification, as a wrong password does: an
    // unknown domain or user, a disabled domain or user, a missing password, a locked account.
    Optional<User> user;
    try {
      if (name != null && !name.isEmpty()) {
        Domain domain = lookupDomain(AuthRequest.DomainRef.of(userRef.get("domain")));
        user = repository.userByName(domain.id(), name);
      } else {
        user = repository.user(id);
        if (user.isPresent()) {
          lookupDomain(new AuthRequest.DomainRef(user.get().domainId(), null));
        }
      }
    } catch (ApiException e) {
      Passwords.decoy(password);
      throw e;
    }
    if (!guard.verify(user.orElse(null), password)) {
      throw KeystoneErrors.unauthorized(
          user.isEmpty() ? "Could not find user" : "Invalid username or password");
    }
    if (passwords.expired(user.get().id())) {
      throw KeystoneErrors.unauthorized(
          "The password is expired and needs to be changed for user: " + user.get().id() + ".");
    }
    // Keystone checks the password before the enabled flag, so both cost the same.
    if (!user.get().enabled()) {
      throw KeystoneErrors.unauthorized("User is disabled: " + user.get().id());
    }
    return user.get().id();
  }

  /** Keystone's token plugin: the original must still validate; a bad one is a 404. */
  private Caller authenticateToken(JsonNode payload) {
    return tokens.verify(AuthRequest.text(payload, "id"));
  }

  private User enabledUser(String userId) {
    User user =
        repository
            .user(userId)
            .orElseThrow(() -> KeystoneErrors.unauthorized("Could not find user: " + userId));
    if (!user.enabled()) {
      throw KeystoneErrors.unauthorized("User is disabled: " + userId);
    }
    return user;
  }

  private Domain enabledDomain(String domainId) {
    return lookupDomain(new AuthRequest.DomainRef(domainId, null));
  }

  /**
   * Keystone's {@code _check_and_set_default_scoping}: the default project, if it exists, is
   * enabled, sits in an enabled domain, and the user holds a role on it; else none (unscoped).
   */
  private Optional<Project> defaultProject(User user) {
    if (user.defaultProjectId() == null) {
      return Optional.empty();
    }
    return repository
        .project(user.defaultProjectId())
        .filter(Project::enabled)
        .filter(p -> repository.domain(p.domainId()).map(Domain::enabled).orElse(false))
        .filter(p -> !effective.onProject(user.id(), p.id()).isEmpty());
  }

  /** The roles granted on the project plus every role they imply, granted ones first. */
  List<Role> effectiveRoles(String userId, String projectId) {
    return effective.onProject(userId, projectId);
  }

  /** The roles plus every role they imply, the given ones first. */
  List<Role> withImplied(List<Role> granted) {
    if (granted.isEmpty()) {
      return granted;
    }
    Map<String, Set<String>> implies = repository.implications();
    Map<String, Role> out = new LinkedHashMap<>();
    Deque<String> todo = new ArrayDeque<>();
    for (Role r : granted) {
      out.put(r.id(), r);
      todo.add(r.id());
    }
    List<String> impliedIds = new ArrayList<>();
    while (!todo.isEmpty()) {
      for (String implied : implies.getOrDefault(todo.poll(), Set.of())) {
        if (!out.containsKey(implied) && !impliedIds.contains(implied)) {
          impliedIds.add(implied);
          todo.add(implied);
        }
      }
    }
    for (String id : impliedIds) {
      repository.role(id).ifPresent(r -> out.put(r.id(), r));
    }
    return List.copyOf(out.values());
  }

  /** Who may act on a subject token: policy {@code identity:<action>} (Zed legacy defaults). */
  public enum TokenAction {
    VALIDATE("identity:validate_token"),
    CHECK("identity:check_token"),
    REVOKE("identity:revoke_token");

    final String rule;

    TokenAction(String rule) {
      this.rule = rule;
    }
  }

  /**
   * {@code GET}/{@code HEAD /v3/auth/tokens}: the subject token re-checked against the store
   * (user, project and domains enabled, roles recomputed), as Keystone does on every validation.
   *
   * @param allowExpired accept a subject token expired less than 48 h ago ({@code
   *     ?allow_expired=1})
   * @param accessRulesSupported whether the validator declared {@value #ACCESS_RULES_HEADER} 1.0
   *     or later; without it a token from a credential with access rules does not validate
   */
  public TokenInfo validate(
      Caller caller,
      String subjectToken,
      TokenAction action,
      boolean allowExpired,
      boolean accessRulesSupported) {
    Caller subject = tokens.verify(subjectToken, allowExpired);
    requireAccessRulesSupport(subject, accessRulesSupported);
    authorize(caller, subject, action);
    // A token from an application credential lives only as long as the credential does.
    ApplicationCredential credential = null;
    if (subject.applicationCredentialId() != null) {
      credential =
          applicationCredentials
              .find(subject.applicationCredentialId())
              .filter(c -> allowExpired || !c.expired(java.time.Instant.now()))
              .orElseThrow(() -> ApiException.notFound(TokenService.FAILED));
    }
    User user =
        repository
            .user(subject.userId())
            .filter(User::enabled)
            .orElseThrow(() -> ApiException.notFound(TokenService.FAILED));
    Domain userDomain =
        repository
            .domain(user.domainId())
            .filter(Domain::enabled)
            .orElseThrow(() -> ApiException.notFound(TokenService.FAILED));
    if (subject.domainId() != null || subject.system()) {
      return validateOutsideProject(subjectToken, subject, user, userDomain);
    }
    if (subject.trust() != null) {
      return validateTrustScoped(subjectToken, subject, user, userDomain, allowExpired);
    }
    // A token from an OAuth1 access token lives only as long as the access token does.
    ConsumerRepository.AccessToken accessToken = null;
    if (subject.oauthAccessTokenId() != null) {
      accessToken =
          oauth
              .live(subject.oauthAccessTokenId())
              .orElseThrow(() -> ApiException.notFound(TokenService.FAILED));
    }
    Project project = null;
    Domain projectDomain = null;
    List<Role> roles = List.of();
    if (subject.projectId() != null) {
      project =
          repository
              .project(subject.projectId())
              .orElseThrow(() -> ApiException.notFound(TokenService.FAILED));
      if (!project.enabled()) {
        throw ApiException.notFound(
            "Unable to validate token because project " + project.id() + " is disabled");
      }
      projectDomain = repository.domain(project.domainId()).orElseThrow();
      if (!projectDomain.enabled()) {
        throw ApiException.notFound(
            "Unable to validate token because domain " + projectDomain.id() + " is disabled");
      }
      roles = effectiveRoles(user.id(), project.id());
      if (credential != null) {
        try {
          roles = credentialRoles(credential, roles);
        } catch (ApiException lost) {
          roles = List.of();
        }
      }
      if (accessToken != null) {
        roles = oauthRoles(accessToken, roles);
      }
      if (roles.isEmpty()) {
        throw ApiException.notFound("Could not find token: " + subjectToken + ".");
      }
    }
    return info(
        subjectToken, subject, user, userDomain, project, projectDomain, roles, credential,
        accessToken);
  }

  /**
   * A trust-scoped subject token: its trust not deleted (nor expired, unless {@code
   * allowExpired}), trustor and trustee enabled, the project enabled and every delegated role
   * still held by the trustor, the roles recomputed so.
   */
  private TokenInfo validateTrustScoped(
      String subjectToken, Caller subject, User user, Domain userDomain, boolean allowExpired) {
    Caller.TrustScope scoped = subject.trust();
    TrustRepository.Trust trust =
        trusts.find(scoped.id())
            .filter(t -> allowExpired || t.expiresAt() == null
                || java.time.Instant.now().isBefore(t.expiresAt()))
            .orElseThrow(() -> ApiException.notFound(TokenService.FAILED));
    for (String id : List.of(trust.trustorUserId(), trust.trusteeUserId())) {
      repository.user(id).filter(User::enabled)
          .orElseThrow(() -> ApiException.notFound(TokenService.FAILED));
    }
    Project project = null;
    Domain projectDomain = null;
    if (subject.projectId() != null) {
      project = repository.project(subject.projectId()).filter(Project::enabled)
          .orElseThrow(() -> ApiException.notFound(TokenService.FAILED));
      projectDomain = repository.domain(project.domainId()).filter(Domain::enabled)
          .orElseThrow(() -> ApiException.notFound(TokenService.FAILED));
    }
    List<Role> roles;
    try {
      roles = trusts.tokenRoles(trust);
    } catch (ApiException lost) {
      throw ApiException.notFound("Could not find token: " + subjectToken + ".");
    }
    return TokenInfo.of(subjectToken, subject, user, userDomain, roles)
        .withProject(project, projectDomain)
        .withTrust(scoped);
  }

  /** A domain- or system-scoped subject token: its domain still enabled, a role still held. */
  private TokenInfo validateOutsideProject(
      String subjectToken, Caller subject, User user, Domain userDomain) {
    Domain domain = null;
    List<Role> roles;
    if (subject.system()) {
      roles = effective.onSystem(user.id());
    } else {
      domain =
          repository
              .domain(subject.domainId())
              .orElseThrow(() -> ApiException.notFound(TokenService.FAILED));
      if (!domain.enabled()) {
        throw ApiException.notFound(
            "Unable to validate token because domain " + domain.id() + " is disabled");
      }
      roles = effective.onDomain(user.id(), domain.id());
    }
    if (roles.isEmpty()) {
      throw ApiException.notFound("Could not find token: " + subjectToken + ".");
    }
    return TokenInfo.of(subjectToken, subject, user, userDomain, roles)
        .withDomain(domain)
        .withSystem(subject.system());
  }

  /** Legacy {@code GET /v2.0/tokens/{id}}: as {@link #validate}, every not-found naming the token. */
  public TokenInfo validateV2(Caller caller, String tokenId) {
    try {
      // A v2 validator knows nothing of access rules: such a token does not validate here.
      return validate(caller, tokenId, TokenAction.VALIDATE, false, false);
    } catch (ApiException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        throw ApiException.notFound("Could not find token: " + tokenId + ".");
      }
      throw e;
    }
  }

  /**
   * {@code POST /v3/users/{id}/password}: self-service change, authenticated by the original
   * password rather than a token (Keystone leaves it unenforced so expired passwords can be
   * changed). Tokens issued until now stop validating.
   */
  public void changePassword(String userId, JsonNode body, String source) {
    guard.throttled(
        source,
        () -> {
          changePassword(userId, body);
          return null;
        });
  }

  private void changePassword(String userId, JsonNode body) {
    JsonNode user = AdminFields.member(body, "user");
    String original = AdminFields.string(user, "original_password", null);
    String password = AdminFields.string(user, "password", null);
    for (String required : List.of("original_password", "password")) {
      if (!user.has(required)) {
        throw KeystoneErrors.schema("'" + required + "' is a required property");
      }
    }
    user.fieldNames()
        .forEachRemaining(
            f -> {
              if (!f.equals("original_password") && !f.equals("password")) {
                throw KeystoneErrors.schema(
                    "Additional properties are not allowed ('" + f + "' was unexpected)");
              }
            });
    awaitAccounts();
    // Counts towards the lockout, as Keystone's change_password authenticates the original.
    if (!guard.verify(repository.user(userId).orElse(null), original)) {
      throw KeystoneErrors.unauthorized("Invalid user / password");
    }
    passwords.checkSelfService(userId, password);
    String hash = Passwords.hash(password);
    repository.inTransaction(
        () -> {
          repository.setPasswordHash(userId, hash);
          passwords.record(userId, hash, false);
          revocations.revokeUser(userId, null, tokens.ttl());
          return null;
        });
  }

  /** {@code DELETE /v3/auth/tokens}: the subject token stops validating, on every node. */
  /** {@code DELETE /v3/auth/tokens}; the subject token is validated first, as for GET. */
  public void revoke(Caller caller, String subjectToken, boolean accessRulesSupported) {
    Caller subject = tokens.verify(subjectToken);
    requireAccessRulesSupport(subject, accessRulesSupported);
    authorize(caller, subject, TokenAction.REVOKE);
    revocations.revokeToken(subject);
  }

  /**
   * The header by which a validator (keystonemiddleware sends {@code 1}) says it enforces access
   * rules, Keystone's {@code ACCESS_RULES_HEADER}.
   */
  public static final String ACCESS_RULES_HEADER = "OpenStack-Identity-Access-Rules";

  /** Whether that header's value is a version of 1.0 or later ({@code float(v) >= 1.0}). */
  static boolean accessRulesSupported(String header) {
    if (header == null) {
      return false;
    }
    try {
      return Double.parseDouble(header.trim()) >= 1.0;
    } catch (NumberFormatException e) {
      // Keystone's float() raises here (a 500); no support is the safe reading.
      return false;
    }
  }

  /**
   * Keystone's {@code _validate_token_access_rules}: a token whose credential has access rules
   * validates only for a validator that enforces them, else it is "not found".
   */
  private static void requireAccessRulesSupport(Caller subject, boolean supported) {
    if (!subject.accessRules().isEmpty() && !supported) {
      throw ApiException.notFound(TokenService.FAILED);
    }
  }

  private void authorize(Caller caller, Caller subject, TokenAction action) {
    authorization.enforce(
        caller,
        action.rule,
        java.util.Map.of("target.token.user_id", subject.userId()),
        KeystoneErrors::forbiddenAction);
  }

  /** {@code GET /v3/auth/catalog}: only a project-scoped token has one. */
  public List<ServiceCatalog.Service> catalogFor(Caller caller) {
    if (caller.domainId() != null || caller.system()) {
      return catalog.forProject(null);
    }
    if (caller.projectId() == null) {
      // "A project-scoped token is required to produce a service catalog." is hidden by Keystone.
      throw KeystoneErrors.forbidden();
    }
    return catalog.forProject(caller.projectId());
  }

  /** {@code GET /v3/auth/projects}: enabled projects the caller holds a role on. */
  public List<Project> projectsFor(Caller caller) {
    return effective.projects(caller.userId()).stream().filter(Project::enabled).toList();
  }

  private TokenInfo info(
      String id,
      Caller token,
      User user,
      Domain userDomain,
      Project project,
      Domain projectDomain,
      List<Role> roles,
      ApplicationCredential credential) {
    return info(id, token, user, userDomain, project, projectDomain, roles, credential, null);
  }

  private TokenInfo info(
      String id,
      Caller token,
      User user,
      Domain userDomain,
      Project project,
      Domain projectDomain,
      List<Role> roles,
      ApplicationCredential credential,
      ConsumerRepository.AccessToken accessToken) {
    return TokenInfo.of(id, token, user, userDomain, roles)
        .withProject(project, projectDomain)
        // The credential's rules travel in the token; a credential's rules never change.
        .withApplicationCredential(credential, credential == null ? List.of() : token.accessRules())
        .withOAuth(
            accessToken == null
                ? null
                : new TokenInfo.OAuth(accessToken.id(), accessToken.consumerId()));
  }

  /**
   * What a new token of the user says: its role names and methods, scoped to the project (or
   * unscoped, when null); the callers add the rest.
   */
  private static TokenClaims claims(
      User user, List<Role> roles, java.util.Collection<String> methods, Project project) {
    return TokenClaims.user(
            user.id(), user.name(), user.domainId(), roles.stream().map(Role::name).toList(),
            List.copyOf(methods))
        .withProject(
            project == null ? null : project.id(),
            project == null ? null : project.name(),
            project == null ? null : project.domainId());
  }

  @Override
  public void close() {
    revocations.close();
    tokens.close();
    credentialKeys.close();
  }
}
