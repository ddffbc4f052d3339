-- Replies, edits, deletes and reactions (D13). A deleted message keeps its row and seq and loses its content: body
-- '' (and its envelopes and reactions removed), deleted true.
ALTER TABLE messages ADD COLUMN reply_to bigint;
ALTER TABLE messages ADD COLUMN edited_at timestamptz;
ALTER TABLE messages ADD COLUMN deleted boolean NOT NULL DEFAULT false;
-- How many of the message's updates are applied, in the conversation side's order (MessageFacts.updates): an update
-- is applied only when it is the next one, so a replayed update changes nothing.
ALTER TABLE messages ADD COLUMN updates_applied bigint NOT NULL DEFAULT 0;

CREATE TABLE message_reactions (
    conversation_id text   NOT NULL,
    seq             bigint NOT NULL,
    user_id         text   NOT NULL,
    key             text   NOT NULL,
    PRIMARY KEY (conversation_id, seq, user_id, key),
    FOREIGN KEY (conversation_id, seq) REFERENCES messages (conversation_id, seq) ON DELETE CASCADE
);
