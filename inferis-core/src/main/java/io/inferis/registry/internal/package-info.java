/**
 * Internal: nothing but the sub-package {@code proto}, the classes protoc generates from the
 * project's own {@code .proto} subset of Feast's registry (src/main/proto). Not API.
 */
package io.inferis.registry.internal;
