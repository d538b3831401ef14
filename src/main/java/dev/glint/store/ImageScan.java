package dev.glint.store;

import dev.glint.catalog.Image;
import dev.glint.catalog.ImageMember;
import dev.glint.catalog.ImageRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.result.ResultIterator;

/**
 * The reads that feed the in-memory list ({@code catalog.ImageIndex}): every image, or those
 * changed after a generation (V113), with properties, tags and members. A full scan streams four
 * cursors ordered by image id and joins them as it goes, so a million images never sit in memory
 * as {@link Image} records at once.
 */
final class ImageScan {
  private static final int FETCH = 2_000;

  private ImageScan() {}

  static ImageRepository.Scan run(
      Handle h, Generations generations, long since, ImageRepository.ScanSink sink) {
    long generation = generations.read(h);
    if (since < 0) {
      all(h, sink);
      return new ImageRepository.Scan(generation, true);
    }
    if (generations.rebuiltAt(h) > since) {
      return new ImageRepository.Scan(generation, true); // fed nothing: the caller rescans
    }
    if (generation > since) {
      changed(h, since, sink);
    }
    return new ImageRepository.Scan(generation, false);
  }

  private static void changed(Handle h, long since, ImageRepository.ScanSink sink) {
    List<Image> rows =
        h.createQuery(
                "SELECT " + JdbcImageRepository.COLUMNS
                    + " FROM images i WHERE i.generation > :since ORDER BY i.id")
            .bind("since", since)
            .map((rs, ctx) -> JdbcImageRepository.row(rs))
            .list();
    for (int from = 0; from < rows.size(); from += 500) {
      List<Image> batch =
          JdbcImageRepository.withDetails(h, rows.subList(from, Math.min(rows.size(), from + 500)));
      Map<String, List<ImageMember>> members = new LinkedHashMap<>();
      h.createQuery(
              "SELECT " + JdbcImageRepository.MEMBER_COLUMNS
                  + " FROM image_members WHERE image_id IN (<ids>) ORDER BY image_id, member")
          .bindList("ids", batch.stream().map(Image::id).toList())
          .map((rs, ctx) -> JdbcImageRepository.memberRow(rs))
          .forEach(m -> members.computeIfAbsent(m.imageId(), k -> new ArrayList<>()).add(m));
      for (Image image : batch) {
        sink.image(image, members.getOrDefault(image.id(), List.of()));
      }
    }
  }

  private static void all(Handle h, ImageRepository.ScanSink sink) {
    try (ResultIterator<Image> images =
            h.createQuery("SELECT " + JdbcImageRepository.COLUMNS + " FROM images i ORDER BY i.id")
                .setFetchSize(FETCH)
                .map((rs, ctx) -> JdbcImageRepository.row(rs))
                .iterator();
        Cursor<String[]> props =
            new Cursor<>(
                h.createQuery(
                        "SELECT image_id, name, value FROM image_properties"
                            + " ORDER BY image_id, name")
                    .setFetchSize(FETCH)
                    .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
                    .iterator());
        Cursor<String[]> tags =
            new Cursor<>(
                h.createQuery("SELECT image_id, tag FROM image_tags ORDER BY image_id, tag")
                    .setFetchSize(FETCH)
                    .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                    .iterator());
        Cursor<ImageMember> members =
            new Cursor<>(
                h.createQuery(
                        "SELECT " + JdbcImageRepository.MEMBER_COLUMNS
                            + " FROM image_members ORDER BY image_id, member")
                    .setFetchSize(FETCH)
                    .map((rs, ctx) -> member(rs))
                    .iterator())) {
      while (images.hasNext()) {
        Image base = images.next();
        String id = base.id();
        Map<String, String> p = new LinkedHashMap<>();
        for (String[] row; (row = props.takeIf(r -> r[0].equals(id), r -> r[0], id)) != null; ) {
          p.put(row[1], row[2]);
        }
        Set<String> t = new TreeSet<>();
        for (String[] row; (row = tags.takeIf(r -> r[0].equals(id), r -> r[0], id)) != null; ) {
          t.add(row[1]);
        }
        List<ImageMember> m = new ArrayList<>(0);
        for (ImageMember row;
            (row = members.takeIf(r -> r.imageId().equals(id), ImageMember::imageId, id)) != null; ) {
          m.add(row);
        }
        sink.image(
            new Image(
                id, base.owner(), base.name(), base.status(), base.visibility(),
                base.isProtected(), base.osHidden(), base.minDisk(), base.minRam(), base.size(),
                base.virtualSize(), base.diskFormat(), base.containerFormat(), base.checksum(),
                base.osHashAlgo(), base.osHashValue(), base.createdAt(), base.updatedAt(),
                base.deletedAt(), p, t),
            m);
      }
    }
  }

  private static ImageMember member(ResultSet rs) throws SQLException {
    return JdbcImageRepository.memberRow(rs);
  }

  /**
   * A cursor over child rows ordered by image id, read alongside the images: rows of ids below
   * the current image (orphans) are skipped, rows of later ids wait for their image.
   */
  private static final class Cursor<T> implements AutoCloseable {
    private final ResultIterator<T> rows;
    private T head;

    Cursor(ResultIterator<T> rows) {
      this.rows = rows;
      this.head = rows.hasNext() ? rows.next() : null;
    }

    T takeIf(
        java.util.function.Predicate<T> mine,
        java.util.function.Function<T, String> idOf,
        String id) {
      while (head != null && !mine.test(head) && idOf.apply(head).compareTo(id) < 0) {
        advance();
      }
      if (head == null || !mine.test(head)) {
        return null;
      }
      T taken = head;
      advance();
      return taken;
    }

    private void advance() {
      head = rows.hasNext() ? rows.next() : null;
    }

    @Override
    public void close() {
      rows.close();
    }
  }
}
