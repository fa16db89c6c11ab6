-- First-account claim, login-attempt reservations, and where each session signed in from.
--
-- `setup_claim` holds one row once an account exists. Creating an account inserts it in the same
-- transaction (ON CONFLICT DO NOTHING); a self-registration is the first account, and becomes the
-- administrator, only when its transaction is the one that inserted the row. The primary key
-- makes concurrent first registrations conflict, so exactly one of them wins on both databases.
CREATE TABLE setup_claim (
    id         BIGINT PRIMARY KEY CHECK (id = 1),
    claimed_at BIGINT NOT NULL
);
INSERT INTO setup_claim (id, claimed_at)
    SELECT 1, created_at FROM users ORDER BY created_at, id LIMIT 1;

-- A sign-in attempt is written here before its password is checked (a reservation, named by
-- `id`), and removed again when the password was right: concurrent attempts count each other.
ALTER TABLE login_failures ADD COLUMN id TEXT;
CREATE INDEX login_failures_id_idx ON login_failures (id);

-- Where a session signed in from (shown in the sessions list); NULL for API tokens.
ALTER TABLE auth_tokens ADD COLUMN client_ip TEXT;
ALTER TABLE auth_tokens ADD COLUMN user_agent TEXT;
