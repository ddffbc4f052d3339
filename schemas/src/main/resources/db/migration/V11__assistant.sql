-- The assistant (D15): conversations of a person with the assistant's user, whose answers the assistant worker posts
-- through chat.inbound like any send.

ALTER TABLE conversations DROP CONSTRAINT conversations_type_check;
ALTER TABLE conversations ADD CONSTRAINT conversations_type_check CHECK (type IN ('direct', 'group', 'assistant'));

-- 'assistant' marks the one account that is not a person: no credentials and no phone (so no login of any kind), no
-- username (nobody can take or find it), never offered by user search, contacts or direct conversations.
ALTER TABLE users ADD COLUMN kind text NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'assistant'));
INSERT INTO users (user_id, username, display_name, phone, created_at, kind)
VALUES ('00000000-0000-4000-8000-00000000a551', NULL, 'Assistant', NULL, now(), 'assistant');

-- An answer of the assistant that says the model failed after its last retry (ChatMessage.failed).
ALTER TABLE messages ADD COLUMN failed boolean NOT NULL DEFAULT false;
