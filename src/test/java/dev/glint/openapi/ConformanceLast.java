package dev.glint.openapi;

import java.util.Comparator;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The suite's class order (junit-platform.properties): discovery order, except that {@link
 * OpenApiConformanceTest} runs once every other HTTP test has sent its responses through the
 * {@link ExchangeRecorder}, and the suite's log-leak check ({@code SuiteLogLeakTest}) after it,
 * once every test has logged what it will.
 */
public final class ConformanceLast implements ClassOrderer {
  @Override
  public void orderClasses(ClassOrdererContext context) {
    // List.sort is stable: everything else keeps the order JUnit discovered it in.
    context
        .getClassDescriptors()
        .sort(Comparator.comparingInt(d -> rank(d.getTestClass())));
  }

  private static int rank(Class<?> test) {
    if (test == OpenApiConformanceTest.class) {
      return 1;
    }
    return test.getName().equals("dev.glint.logging.SuiteLogLeakTest") ? 2 : 0;
  }
}
