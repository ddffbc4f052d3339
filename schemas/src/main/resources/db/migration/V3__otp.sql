-- Phone-code (OTP) login. One row per code sent: the code itself is never stored, only
-- SHA-256(request_id ':' code), so a code verifies only together with the request it was sent for.
-- Rows also count the code requests per phone and per client address for the request throttles, and are
-- purged by the gateway a while after they expire.
CREATE TABLE otp_requests (
    request_id      text        PRIMARY KEY,
    phone           text        NOT NULL, -- E.164
    client_ip       text        NOT NULL,
    code_hash       bytea       NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    failed_attempts integer     NOT NULL DEFAULT 0,
    -- set when the code was used, superseded by a newer request for the phone, or could not be sent
    closed_at       timestamptz
);
CREATE INDEX otp_requests_phone_created ON otp_requests (phone, created_at);
CREATE INDEX otp_requests_ip_created ON otp_requests (client_ip, created_at);
CREATE INDEX otp_requests_created ON otp_requests (created_at);
