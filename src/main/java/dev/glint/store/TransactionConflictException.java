package dev.glint.store;

/**
 * PostgreSQL aborted a transaction because it collided with another one (serialization failure
 * {@code 40001}, deadlock {@code 40P01}); {@link Database#write} runs the unit of work again.
 */
final class TransactionConflictException extends RuntimeException {
  TransactionConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
