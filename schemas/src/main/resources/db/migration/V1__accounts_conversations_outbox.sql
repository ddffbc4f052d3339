-- Accounts, sessions, signing keys, conversations and the transactional outbox (D1).
-- The streams-processor's Debezium engine captures outbox, users and devices: their column names are a
-- contract with it. Timestamps are written by the services from an injected clock, hence no defaults.

CREATE TABLE users (
    user_id      text        PRIMARY KEY,
    -- NULL for accounts created by OTP until they pick one; unique case-insensitively (index below)
    username     text,
    display_name text        NOT NULL,
    phone        text        UNIQUE,
    created_at   timestamptz NOT NULL
);
-- text_pattern_ops lets the same index serve equality and prefix search (LIKE 'ab%') in any collation.
CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username) text_pattern_ops);
CREATE INDEX users_display_name_lower_prefix ON users (lower(display_name) text_pattern_ops);

CREATE TABLE credentials (
    user_id       text        PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
    -- PHC string: $argon2id$v=19$m=...,t=...,p=...$<salt>$<hash>
    password_hash text        NOT NULL,
    updated_at    timestamptz NOT NULL
);

CREATE TABLE devices (
    user_id      text        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    device_id    text        NOT NULL,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, device_id)
);

-- One login of one device: rotation chains its refresh tokens; reuse of a spent one revokes it whole.
CREATE TABLE refresh_families (
    family_id  text        PRIMARY KEY,
    user_id    text        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    device_id  text        NOT NULL,
    created_at timestamptz NOT NULL,
    -- absolute lifetime: rotation never extends it
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX refresh_families_device ON refresh_families (user_id, device_id);

CREATE TABLE refresh_tokens (
    -- SHA-256 of the opaque token: a database leak does not leak usable tokens
    token_hash bytea       PRIMARY KEY,
    family_id  text        NOT NULL REFERENCES refresh_families (family_id) ON DELETE CASCADE,
    issued_at  timestamptz NOT NULL,
    spent_at   timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE signing_keys (
    kid         text        PRIMARY KEY,
    algorithm   text        NOT NULL,
    private_key bytea       NOT NULL, -- PKCS#8
    public_key  bytea       NOT NULL, -- X.509 SubjectPublicKeyInfo
    created_at  timestamptz NOT NULL,
    retired_at  timestamptz
);

CREATE TABLE conversations (
    conversation_id  text        PRIMARY KEY,
    type             text        NOT NULL CHECK (type IN ('direct', 'group')),
    title            text,
    -- "lowUserId:highUserId": one direct conversation per pair, whoever creates it
    direct_key       text        UNIQUE,
    version          bigint      NOT NULL,
    created_at       timestamptz NOT NULL,
    last_activity_at timestamptz NOT NULL,
    CHECK ((type = 'direct') = (direct_key IS NOT NULL))
);

CREATE TABLE conversation_members (
    conversation_id text        NOT NULL REFERENCES conversations (conversation_id) ON DELETE CASCADE,
    user_id         text        NOT NULL REFERENCES users (user_id),
    role            text        NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    joined_at       timestamptz NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_members_user ON conversation_members (user_id);

-- Commands committed with the state they describe; Debezium relays them to Kafka as a safety net for a
-- crash between commit and publish. event_type names the payload's record ('InboundCommand': goes to
-- chat.inbound keyed by aggregate_id); payload is its Avro single-object encoding.
CREATE TABLE outbox (
    id           bigserial   PRIMARY KEY,
    aggregate_id text        NOT NULL,
    event_type   text        NOT NULL,
    payload      bytea       NOT NULL,
    created_at   timestamptz NOT NULL
);
