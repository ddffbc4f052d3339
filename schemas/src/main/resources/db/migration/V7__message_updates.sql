-- Replies, edits, deletes and reactions (D13). A deleted message keeps its row and seq and loses its content: body
-- '' (and its envelopes and reactions removed), deleted true.
ALTER TABLE messages ADD COLUMN reply_to bigint;
ALTER TABLE messages ADD COLUMN edited_at timestamptz;
ALTER TABLE messages ADD COLUMN deleted boolean NOT NULL DEFAULT false;
-- An edited encrypted message: the device that encrypted its current envelopes (the edit's senderDeviceId, possibly
-- another of the author's devices), which a recipient needs to decrypt them. Null until then: the sender device's.
ALTER TABLE messages ADD COLUMN edit_device_id text;

CREATE TABLE message_reactions (
    conversation_id text   NOT NULL,
    seq             bigint NOT NULL,
    user_id         text   NOT NULL,
    key             text   NOT NULL,
    PRIMARY KEY (conversation_id, seq, user_id, key),
    FOREIGN KEY (conversation_id, seq) REFERENCES messages (conversation_id, seq) ON DELETE CASCADE
);

-- The updates (MessageUpdate.updateId) the archive has applied to a message, so that one read again after a crash,
-- or by a new consumer group, changes nothing. Ids are opaque (derived by the conversation side), so the archive
-- cannot tell a replayed update from the next one by counting: it remembers them. A delete drops its message's rows:
-- nothing changes a deleted message any more, which is what keeps a replay of its earlier updates out.
CREATE TABLE message_updates_applied (
    conversation_id text   NOT NULL,
    seq             bigint NOT NULL,
    update_id       text   NOT NULL,
    PRIMARY KEY (conversation_id, seq, update_id),
    FOREIGN KEY (conversation_id, seq) REFERENCES messages (conversation_id, seq) ON DELETE CASCADE
);
