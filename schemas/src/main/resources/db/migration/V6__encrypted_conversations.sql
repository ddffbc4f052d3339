-- End-to-end encrypted conversations: fixed at creation; their messages have an empty body and one envelope per
-- recipient device, which the server stores and hands out but cannot read.
ALTER TABLE conversations ADD COLUMN encrypted boolean NOT NULL DEFAULT false;

ALTER TABLE messages ADD COLUMN encrypted boolean NOT NULL DEFAULT false;
ALTER TABLE messages ADD COLUMN algorithm text;

-- History answers each device with its own envelope only. Rows stay when a device goes: its user's other devices
-- have envelopes of their own, and the message row refers to these by (conversation_id, seq).
CREATE TABLE message_envelopes (
    conversation_id text  NOT NULL,
    seq             bigint NOT NULL,
    user_id         text  NOT NULL,
    device_id       text  NOT NULL,
    ciphertext      bytea NOT NULL,
    PRIMARY KEY (conversation_id, seq, user_id, device_id),
    FOREIGN KEY (conversation_id, seq) REFERENCES messages (conversation_id, seq) ON DELETE CASCADE
);
