package io.inferis.monitoring;

import org.jspecify.annotations.Nullable;

/**
 * A record as stored: the caller's record plus what the recorder adds (server, model, event time)
 * and, for a failed inference, the error's type and message.
 */
record StoredRecord(
    String serverId,
    String modelId,
    long eventTimeMillis,
    InferenceRecord record,
    @Nullable String errorType,
    @Nullable String errorMessage) {

  boolean isError() {
    return errorType != null;
  }
}
