package io.inferis.monitoring;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The monitor's own counters, independent of the meter registry (which may be a no-op). */
final class Counters {
  final LongAdder recorded = new LongAdder();
  final AtomicLong written = new AtomicLong();
  final LongAdder droppedRecords = new LongAdder();
  final AtomicLong failedRecords = new AtomicLong();
  final AtomicLong reportsSent = new AtomicLong();
  final AtomicLong reportFailures = new AtomicLong();
  final AtomicLong reportsDropped = new AtomicLong();
  final AtomicLong reportRunsSkipped = new AtomicLong();
}
