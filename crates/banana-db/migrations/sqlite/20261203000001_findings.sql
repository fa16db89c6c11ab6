-- What the OCR, face and colour analyzers found in an image: one row per kind (`text`,
-- `faces`, `colors`) with the findings as JSON (`data`) and the words they give keyword
-- search and filters (`words`: the text read, "person people face …", the colour names).
CREATE TABLE image_findings (
    image_id TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    data     TEXT NOT NULL,
    words    TEXT NOT NULL,
    PRIMARY KEY (image_id, kind)
);
-- Model labels an image's owner rejected: kept hidden, whatever later analyses predict.
CREATE TABLE label_rejections (
    image_id   TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    label_id   TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (image_id, label_id)
);
