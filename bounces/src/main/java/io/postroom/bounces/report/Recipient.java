package io.postroom.bounces.report;

import io.postroom.contract.compliance.BounceKind;

/**
 * One recipient block of a delivery status notification, read and classified.
 *
 * @param address the address the mail was sent to: {@code Original-Recipient} when the report has it,
 *     else {@code Final-Recipient}
 * @param kind hard, soft or policy
 * @param smtpCode the remote server's reply code when the diagnostic is an SMTP reply ({@code 550}), else null
 * @param statusCode the enhanced status code ({@code 5.1.1}), or null
 * @param text the diagnostic (or the status when there is none), for the event's {@code reply}
 */
public record Recipient(String address, BounceKind kind, Integer smtpCode, String statusCode, String text) {
}
