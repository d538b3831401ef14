package dev.glint.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Attributes;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * What one listener lets clients hold, so no client exhausts the server (issue 10): a cap on
 * open connections (accepting pauses at the cap, and idle ones are then closed sooner), a
 * deadline for a new connection's first request head (slow headers), an idle timeout, and a
 * bound on requests in progress (Jetty's QoSHandler: over it a request waits at most the queue
 * wait, then gets a 503 that the listener's error handler words in the API's format, with
 * Retry-After). A {@link HotLane}, when given, sits outside that bound.
 */
public final class ListenerLimits {
  /** Set on a connection once a request head arrived whole and reached the handlers. */
  static final String HEAD_SEEN = "glint.head.seen";

  private ListenerLimits() {}

  public static void apply(
      Server server,
      int maxConnections,
      int maxRequests,
      Duration queueWait,
      Duration headerTimeout,
      Duration idleTimeout,
      HotLane hot) {
    NetworkConnectionLimit limit = new NetworkConnectionLimit(maxConnections, server);
    // At the cap, connections idle for a second are closed to make room.
    limit.setEndPointIdleTimeout(1_000);
    server.addBean(limit);
    // Javalin adds its connector and handler when it starts the server: hook in then.
    server.addEventListener(
        new LifeCycle.Listener() {
          @Override
          public void lifeCycleStarting(LifeCycle event) {
            for (Connector c : server.getConnectors()) {
              if (c instanceof AbstractConnector connector) {
                connector.setIdleTimeout(idleTimeout.toMillis());
                connector.addEventListener(new HeaderDeadline(connector, headerTimeout));
              }
            }
            QoSHandler qos = new QoSHandler();
            qos.setMaxRequestCount(maxRequests);
            qos.setMaxSuspend(queueWait);
            qos.setMaxSuspendedRequestCount(Math.max(maxRequests * 4, 64));
            server.insertHandler(qos);
            // Outside the bound on requests in progress, inside the head mark (a hot request's
            // connection has sent a whole head too).
            if (hot != null) {
              server.insertHandler(hot);
            }
            server.insertHandler(new MarkHead());
          }
        });
  }

  /** Marks the connection: its request head is complete (handlers only see whole heads). */
  static final class MarkHead extends Handler.Wrapper {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      if (request.getConnectionMetaData() instanceof Attributes a
          && a.getAttribute(HEAD_SEEN) == null) {
        a.setAttribute(HEAD_SEEN, Boolean.TRUE);
      }
      return super.handle(request, response, callback);
    }
  }

  /**
   * Closes a connection whose first request head has not arrived whole within the deadline:
   * the idle timeout alone never fires for a client sending one byte every few seconds.
   */
  static final class HeaderDeadline implements Connection.Listener {
    private final AbstractConnector connector;
    private final Duration timeout;

    HeaderDeadline(AbstractConnector connector, Duration timeout) {
      this.connector = connector;
      this.timeout = timeout;
    }

    @Override
    public void onOpened(Connection connection) {
      if (!(connection instanceof Attributes)) {
        // The TLS layer under an HTTP connection: the HTTP connection above it, opened with
        // it, carries the deadline and closes both.
        return;
      }
      connector
          .getScheduler()
          .schedule(
              () -> {
                boolean seen =
                    connection instanceof Attributes a && a.getAttribute(HEAD_SEEN) != null;
                if (!seen && connection.getEndPoint().isOpen()) {
                  connection.getEndPoint().close();
                }
              },
              timeout.toMillis(),
              TimeUnit.MILLISECONDS);
    }

    @Override
    public void onClosed(Connection connection) {}
  }
}
