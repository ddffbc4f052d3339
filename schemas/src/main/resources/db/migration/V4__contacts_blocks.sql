-- Contacts, connection requests and blocks (API "Contacts, connection requests, blocking"), and who may start a
-- direct conversation with a user. Timestamps are written by the services from an injected clock, hence no defaults.

-- 'everyone': anyone not blocked may start a direct conversation; 'contacts': only the user's contacts may.
ALTER TABLE users ADD COLUMN dm_policy text NOT NULL DEFAULT 'everyone' CHECK (dm_policy IN ('everyone', 'contacts'));

CREATE TABLE contact_requests (
    request_id   text        PRIMARY KEY,
    from_user_id text        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    to_user_id   text        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    message      text,
    state        text        NOT NULL CHECK (state IN ('pending', 'accepted', 'declined')),
    created_at   timestamptz NOT NULL,
    decided_at   timestamptz,
    CHECK (from_user_id <> to_user_id)
);
-- at most one pending request per direction; a declined one does not stop a new request later
CREATE UNIQUE INDEX contact_requests_pending_pair ON contact_requests (from_user_id, to_user_id)
    WHERE state = 'pending';
CREATE INDEX contact_requests_to_pending ON contact_requests (to_user_id, created_at) WHERE state = 'pending';

-- Symmetric: a contact is two rows, one per side, written and deleted together.
CREATE TABLE contacts (
    user_id         text        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    contact_user_id text        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    since           timestamptz NOT NULL,
    PRIMARY KEY (user_id, contact_user_id),
    CHECK (user_id <> contact_user_id)
);

CREATE TABLE blocks (
    blocker_id text        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    blocked_id text        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    since      timestamptz NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
);
-- "who blocked this user": the reverse direction of every block check
CREATE INDEX blocks_blocked ON blocks (blocked_id, blocker_id);
