-- Tags: words the owner (or an administrator) puts on images, shown to whoever may see the
-- image, filterable (`GET /api/v1/images?tag=`) and found by keyword search (they ride with
-- the title in `image_search_text`). A tag is once per image whatever its case (`tag_key`
-- is the lowercased tag).
CREATE TABLE image_tags (
    image_id   TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    tag_key    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (image_id, tag_key)
);
CREATE INDEX image_tags_key_idx ON image_tags (tag_key);
