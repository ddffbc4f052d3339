package io.kchat.assistant.model;

/** A complete answer: its text, and whether it was cut at the length limit (the model would have gone on). */
public record Answer(String text, boolean truncated) {
}
