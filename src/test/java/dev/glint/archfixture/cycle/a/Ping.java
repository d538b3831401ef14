package dev.glint.archfixture.cycle.a;

import dev.glint.archfixture.cycle.b.Pong;

/** Half of a deliberate package cycle, so that ArchitectureTest can show its rule catches one. */
public final class Ping {
  Pong pong;
}
