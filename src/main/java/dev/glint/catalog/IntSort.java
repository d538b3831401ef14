package dev.glint.catalog;

import dev.glint.catalog.IndexColumns.IntOrder;

/** A stable merge sort of row numbers by a row order (the JDK sorts {@code int[]} only by value). */
final class IntSort {
  private static final int SMALL = 24;

  private IntSort() {}

  static void sort(int[] a, IntOrder order) {
    sort(a, 0, a.length, order);
  }

  static void sort(int[] a, int from, int to, IntOrder order) {
    if (to - from <= SMALL) {
      insertion(a, from, to, order);
      return;
    }
    int[] tmp = new int[to - from];
    mergeSort(a, tmp, from, to, order);
  }

  private static void mergeSort(int[] a, int[] tmp, int from, int to, IntOrder order) {
    if (to - from <= SMALL) {
      insertion(a, from, to, order);
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(a, tmp, from, mid, order);
    mergeSort(a, tmp, mid, to, order);
    if (order.compare(a[mid - 1], a[mid]) <= 0) {
      return; // already in order (common: rows appended in time order)
    }
    int n = mid - from;
    System.arraycopy(a, from, tmp, 0, n);
    int i = 0;
    int j = mid;
    int k = from;
    while (i < n && j < to) {
      a[k++] = order.compare(a[j], tmp[i]) < 0 ? a[j++] : tmp[i++];
    }
    System.arraycopy(tmp, i, a, k, n - i);
  }

  private static void insertion(int[] a, int from, int to, IntOrder order) {
    for (int i = from + 1; i < to; i++) {
      int v = a[i];
      int j = i - 1;
      while (j >= from && order.compare(a[j], v) > 0) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = v;
    }
  }
}
