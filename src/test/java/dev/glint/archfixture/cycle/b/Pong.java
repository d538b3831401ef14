package dev.glint.archfixture.cycle.b;

import dev.glint.archfixture.cycle.a.Ping;

/** The other half of the deliberate package cycle (see {@code Ping}). */
public final class Pong {
  Ping ping;
}
