/**
 * Feast's feature-server API: its operations apart from any transport ({@link
 * io.inferis.server.feast.FeastOnline}: features, feature services, push sources, writes), entity
 * rows read by one set of rules ({@link io.inferis.server.feast.EntityRows}), rows to write as a
 * {@link io.inferis.server.feast.Frame}, JSON values typed by the repository ({@link
 * io.inferis.server.feast.JsonInputs}), the JSON endpoints ({@link
 * io.inferis.server.feast.FeastHttpApi}), and client mistakes as {@link
 * io.inferis.server.feast.ClientError}, which each transport maps to its own status.
 */
@NullMarked
package io.inferis.server.feast;

import org.jspecify.annotations.NullMarked;
