package io.kchat.schemas;

/**
 * The assistant's account (D15), created by migration V11: the member every assistant conversation has besides its
 * person, and the sender of every answer. It has no credentials, devices or username, so nobody logs in as it.
 */
public final class AssistantUser {

    /** Its user id: the same in every deployment, so that services and clients can recognise it without a lookup. */
    public static final String ID = "00000000-0000-4000-8000-00000000a551";

    /** The device id its answers carry as {@code senderDeviceId}; no such device is ever registered. */
    public static final String DEVICE_ID = "assistant";

    private AssistantUser() {
    }

    /**
     * The idempotency id of the answer to the message {@code questionSeq} (D15): derived from the question alone, so
     * a worker that answers again after a crash posts a send the processor recognises as the same one. The dedupe key
     * also holds the conversation and the sender, so the seq is enough.
     */
    public static String answerClientId(long questionSeq) {
        return "assistant-answer-" + questionSeq;
    }
}
