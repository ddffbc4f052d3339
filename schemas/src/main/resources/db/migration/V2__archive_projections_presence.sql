-- Read models (D9) and the session directory. The message archive and the cursor columns are projected by
-- the delivery-service from chat.messages and chat.receipts (read_committed), idempotently: replaying a
-- batch changes nothing (ON CONFLICT DO NOTHING, GREATEST).

-- Accepted messages, one row per (conversation, seq). No foreign key to conversations: the archive must
-- accept whatever the processor accepted, in whatever order the projector sees it.
CREATE TABLE messages (
    conversation_id  text        NOT NULL,
    seq              bigint      NOT NULL,
    message_id       text        NOT NULL,
    client_id        text        NOT NULL,
    sender_id        text        NOT NULL,
    sender_device_id text        NOT NULL,
    body             text        NOT NULL,
    ts               timestamptz NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);

-- last_seq is the archive watermark of the conversation: every seq up to it is in `messages`
-- (chat.messages is read in partition order and seq is gap-free). last_activity_at moves with it.
ALTER TABLE conversations ADD COLUMN last_seq bigint NOT NULL DEFAULT 0;

-- read_seq: the member has read up to it (sending moves it up to the message sent);
-- delivered_seq: at least one of the member's devices acked up to it.
ALTER TABLE conversation_members ADD COLUMN read_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE conversation_members ADD COLUMN delivered_seq bigint NOT NULL DEFAULT 0;

-- Gateway nodes beat here (heartbeat_at from the database clock, so that one clock judges every node);
-- an incarnation is one process lifetime of a node id, so a restarted node's old sessions can be told apart.
CREATE TABLE nodes (
    node_id      text        PRIMARY KEY,
    incarnation  text        NOT NULL,
    heartbeat_at timestamptz NOT NULL
);

-- Open WebSocket sessions across all gateways: written by the gateway holding them, reaped by the
-- delivery-service when their node stops beating or restarted. Source of online counts and of where
-- ephemeral frames (typing, presence) go.
CREATE TABLE sessions (
    session_id  text        PRIMARY KEY,
    user_id     text        NOT NULL,
    device_id   text        NOT NULL,
    node_id     text        NOT NULL,
    incarnation text        NOT NULL,
    opened_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_node ON sessions (node_id);

-- Last known presence per user, projected from chat.presence.
CREATE TABLE presence (
    user_id   text        PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
    online    boolean     NOT NULL,
    last_seen timestamptz NOT NULL
);
