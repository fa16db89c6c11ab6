-- Upload intents (crates/banana-db/src/intents.rs): one row per upload or removal of one
-- content (SHA-256) in flight, written before its objects and deleted once the image row that
-- references them is committed (or the objects are removed again). A crash in between leaves
-- the intent behind, so the sweeper finds exactly the objects that may be orphans.
-- state: 'pending' (an upload or removal in flight) or 'sweeping' (its objects are being
-- deleted; no upload of this content may start until the intent is gone). locked_by and
-- locked_until are the sweeping lease. Times are Unix milliseconds.
CREATE TABLE upload_intents (
    id           TEXT PRIMARY KEY,
    sha256       TEXT NOT NULL,
    instance     TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending',
    created_at   BIGINT NOT NULL,
    locked_by    TEXT,
    locked_until BIGINT
);
CREATE INDEX upload_intents_sha256_idx ON upload_intents (sha256);
CREATE INDEX upload_intents_stale_idx ON upload_intents (state, created_at);
