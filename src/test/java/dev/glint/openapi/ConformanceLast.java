package dev.glint.openapi;

import java.util.Comparator;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The suite's class order (junit-platform.properties): discovery order, except that {@link
 * OpenApiConformanceTest} runs last, once every other HTTP test has sent its responses through the
 * {@link ExchangeRecorder}.
 */
public final class ConformanceLast implements ClassOrderer {
  @Override
  public void orderClasses(ClassOrdererContext context) {
    // List.sort is stable: everything else keeps the order JUnit discovered it in.
    context
        .getClassDescriptors()
        .sort(Comparator.comparingInt(d -> d.getTestClass() == OpenApiConformanceTest.class ? 1 : 0));
  }
}
