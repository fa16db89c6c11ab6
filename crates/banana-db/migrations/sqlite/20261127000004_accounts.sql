-- Accounts, session and API tokens (stored as SHA-256 hashes), share links, and failed logins
-- (shared by every instance, for rate limiting).
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL,
    username_key  TEXT NOT NULL,            -- lower-case, for case-insensitive uniqueness
    password_hash TEXT NOT NULL,            -- argon2id PHC string
    is_admin      BIGINT NOT NULL DEFAULT 0,
    disabled      BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    CONSTRAINT users_username_key UNIQUE (username_key)
);

CREATE TABLE auth_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,             -- session | api
    name         TEXT,
    token_hash   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT,
    last_used_at BIGINT,
    CONSTRAINT auth_tokens_hash_key UNIQUE (token_hash)
);
CREATE INDEX auth_tokens_user_idx ON auth_tokens (user_id, kind);

CREATE TABLE shares (
    id         TEXT PRIMARY KEY,
    image_id   TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    CONSTRAINT shares_hash_key UNIQUE (token_hash)
);
CREATE INDEX shares_image_idx ON shares (image_id);

CREATE TABLE login_failures (
    username_key TEXT NOT NULL,
    ip           TEXT NOT NULL,
    at           BIGINT NOT NULL
);
CREATE INDEX login_failures_user_idx ON login_failures (username_key, at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, at);
CREATE INDEX images_owner_idx ON images (owner_id, created_at);
