package dev.glint.catalog;

import java.nio.ByteBuffer;

/**
 * The virtual (guest-visible) size Glance records on upload for {@code bare} containers: the data
 * size for {@code raw}, the header's size field for {@code qcow2}; null for formats it cannot tell
 * from the first bytes.
 */
final class VirtualSize {
  private static final int QCOW2_MAGIC = 0x514649fb; // "QFI\xfb"

  private VirtualSize() {}

  static Long of(String containerFormat, String diskFormat, BlobStore.Stored stored) {
    if (!"bare".equals(containerFormat) || diskFormat == null) {
      return null;
    }
    return switch (diskFormat) {
      case "raw" -> stored.size();
      case "qcow2" -> qcow2(stored.head());
      default -> null;
    };
  }

  /** qcow2 header: magic (4 bytes), version (4), backing file offset (8), size (8), big-endian. */
  static Long qcow2(byte[] head) {
    if (head.length < 32) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(head);
    if (b.getInt(0) != QCOW2_MAGIC) {
      return null;
    }
    long size = b.getLong(24);
    return size >= 0 ? size : null;
  }
}
