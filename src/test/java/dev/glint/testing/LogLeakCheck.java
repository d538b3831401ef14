package dev.glint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The log-leak check for one test class, so that running an identity class alone checks it too:
 * afterwards, fails if any token, password or secret seen so far ({@link SecretsSeen}) appears in
 * a line the class's time logged ({@link LogCapture}, every level, masked layout and Glint's own
 * lines before masking). {@code SuiteLogLeakTest} does the same over the whole suite's log at
 * its end.
 */
public final class LogLeakCheck implements BeforeAllCallback, AfterAllCallback, TestWatcher {
  /** Tests of the class that ran to the end (passed or failed); skipped ones prove nothing. */
  private final AtomicInteger ran = new AtomicInteger();

  private long from;
  private Set<String> before;

  @Override
  public void testSuccessful(ExtensionContext context) {
    ran.incrementAndGet();
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    ran.incrementAndGet();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    assertThat(LogCapture.instance()).as("the log capture of logback-test.xml").isNotNull();
    from = LogCapture.instance().lines();
    before = SecretsSeen.snapshot();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (ran.get() == 0) {
      return; // every test skipped (e.g. a client test in the PostgreSQL run): nothing to search
    }
    List<String> used = new ArrayList<>(SecretsSeen.snapshot());
    used.removeAll(before);
    assertThat(used).as("secrets this class used (else it proves nothing)").isNotEmpty();
    assertThat(LogCapture.instance().lines()).as("log lines captured").isGreaterThan(from);
    // Secrets registered before this class (the bootstrap passwords) count too.
    assertThat(LogCapture.instance().leaks(from, SecretsSeen.snapshot()))
        .as("log lines holding a token or secret")
        .isEmpty();
  }
}
