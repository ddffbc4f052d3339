-- Push notifications and per-conversation settings (D15).

-- The VAPID key pairs (RFC 8292) the push sender signs with. The newest unretired key is the one GET /v1/push/vapid
-- hands out; a subscription keeps the key it was made with, since a push service accepts only pushes signed by the
-- key the browser subscribed with. Rotation (an ops command) adds a key; retiring one removes its subscriptions, whose
-- browsers subscribe again with the new key when the web client next starts.
CREATE TABLE vapid_keys (
    key_id      text        PRIMARY KEY,
    private_key bytea       NOT NULL, -- PKCS#8
    public_key  bytea       NOT NULL, -- the uncompressed P-256 point, 65 bytes
    created_at  timestamptz NOT NULL,
    retired_at  timestamptz
);

-- One subscription per device, replaced by the device's next PUT; gone with the device (logout) and when the push
-- service answers 404 or 410. `webpush`: endpoint, keys and the VAPID key it was made with; `gateway`: a push key and
-- app id that a push gateway (PUSH_GATEWAY_URL) turns into an FCM or APNs notification.
CREATE TABLE push_subscriptions (
    user_id      text        NOT NULL,
    device_id    text        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('webpush', 'gateway')),
    endpoint     text,
    p256dh       bytea,
    auth         bytea,
    vapid_key_id text        REFERENCES vapid_keys (key_id) ON DELETE CASCADE,
    push_key     text,
    app_id       text,
    previews     boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, device_id),
    FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id) ON DELETE CASCADE,
    CHECK (kind <> 'webpush' OR (endpoint IS NOT NULL AND p256dh IS NOT NULL AND auth IS NOT NULL
                                 AND vapid_key_id IS NOT NULL)),
    CHECK (kind <> 'gateway' OR (push_key IS NOT NULL AND app_id IS NOT NULL))
);
CREATE INDEX push_subscriptions_vapid_key ON push_subscriptions (vapid_key_id);

-- A member's own settings of a conversation; no row: the defaults (not muted, not pinned, not archived). Kept while the
-- user is a member; a member who leaves and comes back starts from the defaults again.
CREATE TABLE conversation_settings (
    conversation_id text        NOT NULL,
    user_id         text        NOT NULL,
    muted           boolean     NOT NULL DEFAULT false,
    -- with muted: muted until then; NULL with muted: until unmuted
    muted_until     timestamptz,
    pinned          boolean     NOT NULL DEFAULT false,
    archived        boolean     NOT NULL DEFAULT false,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (conversation_id, user_id),
    FOREIGN KEY (conversation_id, user_id) REFERENCES conversation_members (conversation_id, user_id) ON DELETE CASCADE
);
CREATE INDEX conversation_settings_user ON conversation_settings (user_id);

-- The push sender's record of each push per (device, conversation, seq), so that a PushDue read again after a restart
-- sends nothing twice (D15). 'sending' is written before the push service is asked: a row left 'sending' by a crash is
-- sent again (the push service may then hold it twice, which its Topic header collapses), never dropped.
CREATE TABLE push_deliveries (
    user_id         text        NOT NULL,
    device_id       text        NOT NULL,
    conversation_id text        NOT NULL,
    seq             bigint      NOT NULL,
    state           text        NOT NULL CHECK (state IN ('sending', 'sent', 'failed', 'skipped')),
    -- why a push was not sent: muted, rate_limited, gone (404 or 410), refused, retries_exhausted
    reason          text,
    attempts        int         NOT NULL DEFAULT 0,
    claimed_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    PRIMARY KEY (user_id, device_id, conversation_id, seq)
);
-- the sender deletes rows older than the chat.push retention: nothing can be read again past it
CREATE INDEX push_deliveries_claimed ON push_deliveries (claimed_at);
