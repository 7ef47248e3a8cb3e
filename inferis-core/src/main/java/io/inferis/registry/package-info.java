/**
 * Reading a Feast repository as it is: its {@code feature_store.yaml} ({@link
 * io.inferis.registry.FeastRepoConfig}) and the registry {@code feast apply} wrote, from a file or
 * Feast's SQL registry ({@link io.inferis.registry.RegistrySource}), kept current in the background
 * ({@link io.inferis.registry.RefreshingRegistry}). A reading ({@link
 * io.inferis.registry.FeastRegistry}) holds what a feature server serves: the views as a {@link
 * io.inferis.features.FeatureRepo}, feature services, push sources, and what cannot be served.
 */
@NullMarked
package io.inferis.registry;

import org.jspecify.annotations.NullMarked;
