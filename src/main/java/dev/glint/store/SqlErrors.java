package dev.glint.store;

import dev.glint.error.ApiException;
import dev.glint.error.StoreUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Supplier;
import org.jdbi.v3.core.JdbiException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Classifies store failures once for both dialects: a unique violation becomes a 409, a lost or
 * busy store a {@link StoreUnavailableException} (503 with Retry-After), anything else stays an
 * internal error.
 */
public final class SqlErrors {
  private SqlErrors() {}

  public static <R> R translate(Supplier<R> work) {
    try {
      return work.get();
    } catch (JdbiException e) {
      throw classify(e);
    }
  }

  static RuntimeException classify(JdbiException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof java.sql.SQLNonTransientConnectionException
          || t instanceof java.sql.SQLRecoverableException) {
        return new StoreUnavailableException("no store connection", e);
      }
      // HikariCP's stand-in for a connection it evicted as broken (the database went away in
      // the middle of a unit of work) throws this, with no SQLState (PostgresRestartTest).
      if (t instanceof SQLException closed
          && closed.getSQLState() == null
          && "Connection is closed".equals(closed.getMessage())) {
        return new StoreUnavailableException("store connection lost", e);
      }
      if (t instanceof SQLiteException lite) {
        SQLiteErrorCode code = lite.getResultCode();
        if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
            || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
          return ApiException.conflict("An object with the same identifier already exists.");
        }
        if (code.code == SQLiteErrorCode.SQLITE_BUSY.code
            || code.code == SQLiteErrorCode.SQLITE_LOCKED.code
            || code.code == SQLiteErrorCode.SQLITE_CANTOPEN.code
            || code.code == SQLiteErrorCode.SQLITE_IOERR.code) {
          return new StoreUnavailableException("store busy: " + code, e);
        }
        // SQLite folds extended codes; compare the primary code too.
        if ((code.code & 0xff) == SQLiteErrorCode.SQLITE_BUSY.code
            || (code.code & 0xff) == SQLiteErrorCode.SQLITE_IOERR.code) {
          return new StoreUnavailableException("store busy: " + code, e);
        }
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        // 40001 serialization failure, 40P01 deadlock: the transaction lost a race and may run
        // again (Database.write retries it, then answers 409).
        if (state.equals("40001") || state.equals("40P01")) {
          return new TransactionConflictException("transaction conflict: " + state, e);
        }
        if (state.equals("23505")) {
          return ApiException.conflict("An object with the same identifier already exists.");
        }
        // 22001: longer than the column; 22021/22P05: a character the encoding cannot keep (NUL);
        // 54000: an index entry too large. Input is validated before, this is the last net:
        // the client's value, not the server, is at fault.
        if (state.equals("22001")
            || state.equals("22021")
            || state.equals("22P05")
            || state.equals("54000")) {
          return ApiException.badRequest(
              "Invalid input: a value is too long or holds a character that cannot be stored.");
        }
        // 08: connection exceptions; 57P01-03: server shutting down; 53: out of resources;
        // 55P03: lock_timeout expired (a lock held elsewhere past the busy timeout).
        if (state.startsWith("08")
            || state.startsWith("57P")
            || state.startsWith("53")
            || state.equals("55P03")) {
          return new StoreUnavailableException("store unreachable: " + state, e);
        }
      }
    }
    return e;
  }
}
