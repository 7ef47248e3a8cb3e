/**
 * The {@code inferis} command line (picocli): {@code serve}, {@code load}, {@code audit}, {@code
 * bench}.
 */
package io.inferis.server.cli;
