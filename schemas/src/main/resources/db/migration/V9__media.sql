-- Media (D14): the bytes live in the object store (key media/<media_id>, thumbnails under thumbnails/<media_id>/);
-- this row is their metadata and ownership. A row is 'uploading' from the first byte until the object is stored and
-- measured: only 'complete' media can be attached, used as an avatar or downloaded, so nothing half-made is visible.
CREATE TABLE media (
    media_id     text        PRIMARY KEY,
    owner_id     text        NOT NULL REFERENCES users (user_id),
    state        text        NOT NULL DEFAULT 'uploading' CHECK (state IN ('uploading', 'complete')),
    content_type text        NOT NULL,
    size         bigint,
    sha256       text,
    name         text,
    width        int,
    height       int,
    created_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    -- Set by the gateway when a send names this media: the janitor counts a day from here rather than from the upload,
    -- so a send that is still on its way to the archive never finds its attachment deleted.
    claimed_at   timestamptz
);
CREATE INDEX media_owner ON media (owner_id);
CREATE INDEX media_janitor ON media (coalesce(claimed_at, completed_at, created_at));

-- A message's attachments as the archive stored them, in the order of the send. No foreign key to media: the archive
-- must never stop on a row the janitor removed; a download of such an attachment answers 404.
CREATE TABLE message_attachments (
    conversation_id text     NOT NULL,
    seq             bigint   NOT NULL,
    position        smallint NOT NULL,
    media_id        text     NOT NULL,
    content_type    text     NOT NULL,
    size            bigint   NOT NULL,
    name            text,
    width           int,
    height          int,
    duration_ms     bigint,
    PRIMARY KEY (conversation_id, seq, position),
    FOREIGN KEY (conversation_id, seq) REFERENCES messages (conversation_id, seq) ON DELETE CASCADE
);
CREATE INDEX message_attachments_media ON message_attachments (media_id);

ALTER TABLE users ADD COLUMN avatar_media_id text REFERENCES media (media_id);
ALTER TABLE conversations ADD COLUMN avatar_media_id text REFERENCES media (media_id);
