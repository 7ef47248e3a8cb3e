package io.inferis.monitoring;

import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue between callers and the flusher: a ring of fixed capacity that, when full,
 * drops its <b>oldest</b> entry to admit the new one (the newest records are the ones a report of
 * the trailing window needs). {@link #offer} never waits for anything but the short lock, so a slow
 * or stopped Redis can never block a caller; memory stays at the capacity. Thread-safe.
 */
final class RecordQueue {

  private final StoredRecord[] ring;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final int signalAt;
  private int head;
  private int count;
  private boolean woken;

  /**
   * @param signalAt queue depth at which a waiting consumer is woken (a full batch)
   */
  RecordQueue(int capacity, int signalAt) {
    this.ring = new StoredRecord[capacity];
    this.signalAt = Math.min(signalAt, capacity);
  }

  /** Adds {@code r}; returns true if the oldest entry was dropped to make room. */
  boolean offer(StoredRecord r) {
    lock.lock();
    try {
      boolean dropped = false;
      if (count == ring.length) {
        ring[head] = null;
        head = (head + 1) % ring.length;
        count--;
        dropped = true;
      }
      ring[(head + count) % ring.length] = r;
      count++;
      if (count == signalAt) {
        work.signal();
      }
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  /** Moves up to {@code max} of the oldest entries to {@code out}; returns how many. */
  int drainTo(List<StoredRecord> out, int max) {
    lock.lock();
    try {
      int n = Math.min(max, count);
      for (int i = 0; i < n; i++) {
        out.add(ring[head]);
        ring[head] = null;
        head = (head + 1) % ring.length;
      }
      count -= n;
      return n;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits up to {@code nanos} until a full batch is queued or {@link #wake()} is called.
   *
   * @throws InterruptedException if the waiting thread is interrupted
   */
  void awaitWork(long nanos) throws InterruptedException {
    lock.lock();
    try {
      long left = nanos;
      while (!woken && count < signalAt && left > 0) {
        left = work.awaitNanos(left);
      }
      woken = false;
    } finally {
      lock.unlock();
    }
  }

  /** Ends the consumer's current {@link #awaitWork}, or its next one if it is not waiting. */
  void wake() {
    lock.lock();
    try {
      woken = true;
      work.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Entries queued now. */
  int size() {
    lock.lock();
    try {
      return count;
    } finally {
      lock.unlock();
    }
  }

  int capacity() {
    return ring.length;
  }
}
