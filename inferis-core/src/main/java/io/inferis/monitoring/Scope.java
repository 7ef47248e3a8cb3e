package io.inferis.monitoring;

/** Which servers a summary or report covers. */
public enum Scope {
  /** Only this monitor's server. */
  SERVER,
  /** Every live server: those in the {@code servers} and {@code models} registries. */
  ALL;

  /** The lower-case name used in report payloads: {@code server} or {@code all}. */
  public String jsonName() {
    return this == SERVER ? "server" : "all";
  }
}
