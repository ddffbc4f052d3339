package io.kchat.gateway.search;

import io.kchat.gateway.messages.MessageView;

/**
 * One result: the message as history serves it, and a short excerpt of its body around what matched, as plain text
 * with each match between {@value SearchStore#MATCH_START} and {@value SearchStore#MATCH_END} (the body's own
 * guillemets are shown as ‹ and ›, so that every « and » of the excerpt is a marker).
 */
public record SearchHit(MessageView message, String highlight) {
}
