package io.postroom.api.bulk;

import java.nio.file.Path;

/**
 * How the api takes bulk sends ({@code api.bulk}); their topics are {@code kafka.topics.templates},
 * {@code .bulk} and {@code .bulkControl} of the shared kafka section.
 *
 * @param chunkRecipients at most this many recipients in one chunk record ({@code api.bulk.chunkRecipients}, 1000)
 * @param maxChunkBytes at most this many bytes in one chunk record ({@code api.bulk.maxChunkBytes}, 900000;
 *     below the producer's {@code max.request.size})
 * @param maxUploadBytes the largest upload ({@code api.bulk.maxUploadBytes}, 2 GiB)
 * @param problemsListed how many bad recipients an answer lists ({@code api.bulk.problemsListed}, 100)
 * @param uploadDir where an upload is kept while it is read ({@code api.bulk.uploadDir}, the system's temp dir)
 */
public record BulkSettings(
    int chunkRecipients,
    int maxChunkBytes,
    long maxUploadBytes,
    int problemsListed,
    Path uploadDir) {
}
