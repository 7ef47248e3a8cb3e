/**
 * Side-by-side benchmarks of inferis against the baselines each capability names (JMH and a load
 * harness). Every figure is a ratio measured in one run on one machine; see docs/BENCHMARKS.md.
 */
package io.inferis.bench;
