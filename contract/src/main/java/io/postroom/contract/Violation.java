package io.postroom.contract;

/**
 * One thing wrong with a job.
 *
 * @param field the JSON path of the value, e.g. {@code to[2]} or {@code headers.X-Campaign}
 * @param message a sentence a person can act on
 */
public record Violation(ErrorCode code, String field, String message) {
}
