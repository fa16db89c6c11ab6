-- Trash: a deleted image keeps its row (and its labels, vectors, albums, favourites) with the
-- time it was trashed until it is restored or purged (`purge_trash` jobs, or emptying the
-- trash). Every listing, search, album and share leaves trashed rows out.
ALTER TABLE images ADD COLUMN trashed_at BIGINT;
CREATE INDEX images_trash_idx ON images (owner_id, trashed_at);

-- Share links of albums: like image shares (token stored as a SHA-256 hash), read-only.
CREATE TABLE album_shares (
    id         TEXT PRIMARY KEY,
    album_id   TEXT NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    CONSTRAINT album_shares_hash_key UNIQUE (token_hash)
);
CREATE INDEX album_shares_album_idx ON album_shares (album_id);
