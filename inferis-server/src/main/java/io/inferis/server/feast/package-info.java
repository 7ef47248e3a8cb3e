/**
 * Feast's feature-server API, apart from any transport: requests parsed by one set of rules ({@link
 * io.inferis.server.feast.EntityRows}), JSON values typed by the repository ({@link
 * io.inferis.server.feast.JsonInputs}), the JSON endpoints ({@link
 * io.inferis.server.feast.FeastHttpApi}), and client mistakes as {@link
 * io.inferis.server.feast.ClientError}, which each transport maps to its own status.
 */
@NullMarked
package io.inferis.server.feast;

import org.jspecify.annotations.NullMarked;
