-- The key directory of end-to-end encryption (API "End-to-end encryption", D16): per device, the public identity key
-- (ECDSA P-256), the signed pre-key (ECDH P-256) with its signature by the identity key, and one-time pre-keys that
-- are each handed out once. Only public keys: private keys never leave the devices. Keys go with their device
-- (logout deletes the devices row). Keys are stored as the raw uncompressed points (65 bytes) the API carries.

CREATE TABLE device_keys (
    user_id                 text        NOT NULL,
    device_id               text        NOT NULL,
    identity_key            bytea       NOT NULL,
    signed_prekey_id        text        NOT NULL,
    signed_prekey           bytea       NOT NULL,
    -- IEEE P1363 (r || s), over signed_prekey's raw bytes
    signed_prekey_signature bytea       NOT NULL,
    updated_at              timestamptz NOT NULL,
    PRIMARY KEY (user_id, device_id),
    FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id) ON DELETE CASCADE
);

CREATE TABLE one_time_prekeys (
    user_id    text        NOT NULL,
    device_id  text        NOT NULL,
    key_id     text        NOT NULL,
    public_key bytea       NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, device_id, key_id),
    FOREIGN KEY (user_id, device_id) REFERENCES device_keys (user_id, device_id) ON DELETE CASCADE
);
-- claims take the oldest first
CREATE INDEX one_time_prekeys_claim_order ON one_time_prekeys (user_id, device_id, created_at, key_id);
