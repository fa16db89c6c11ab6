-- Albums (an owner's own collections of images they may see) and favourites (per user).
-- Deleting an album keeps its images; deleting an image or a user removes its memberships
-- and favourites. Times are Unix milliseconds.
CREATE TABLE albums (
    id             TEXT PRIMARY KEY,
    owner_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    description    TEXT,
    cover_image_id TEXT REFERENCES images (id) ON DELETE SET NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX albums_owner_idx ON albums (owner_id, updated_at);

CREATE TABLE album_images (
    album_id TEXT NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
    image_id TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (album_id, image_id)
);
CREATE INDEX album_images_image_idx ON album_images (image_id);

CREATE TABLE favorites (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    image_id   TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, image_id)
);
CREATE INDEX favorites_image_idx ON favorites (image_id);
