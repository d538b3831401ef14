package dev.glint.identity;

import dev.glint.config.GlintConfig;

/** Users, projects, roles and authentication. */
public final class IdentityService {
  private final IdentityRepository repository;
  private final TokenService tokens;
  private final GlintConfig config;

  public IdentityService(IdentityRepository repository, TokenService tokens, GlintConfig config) {
    this.repository = repository;
    this.tokens = tokens;
    this.config = config;
  }
}
