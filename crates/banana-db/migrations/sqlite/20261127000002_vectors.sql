-- Per-image vectors: the classifier's pooled features ("more like this") and, later, the
-- semantic vector for natural-language search. Little-endian f32, one row per image and kind.
CREATE TABLE image_vectors (
    image_id   TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    vector     BLOB NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (image_id, kind)
);
