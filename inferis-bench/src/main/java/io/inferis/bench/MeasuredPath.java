package io.inferis.bench;

/** One way {@link HttpOverheadLoad} makes lookups, measured for some seconds at a time. */
interface MeasuredPath extends AutoCloseable {

  String name();

  Row run(double seconds) throws Exception;

  @Override
  void close();
}
