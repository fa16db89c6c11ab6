-- Which analyzer, at which version, produced what is stored for an image (labels, vectors,
-- text, ...), so a new analyzer or a new version can be backfilled over stored images
-- (`banana reanalyze`). One row per image and analyzer; times are Unix milliseconds.
CREATE TABLE image_analyses (
    image_id    TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    analyzer    TEXT NOT NULL,
    version     BIGINT NOT NULL,
    analyzed_at BIGINT NOT NULL,
    PRIMARY KEY (image_id, analyzer)
);
CREATE INDEX image_analyses_analyzer_idx ON image_analyses (analyzer, version);

-- Images labeled before this table existed were labeled by version 1 of the classifier.
INSERT INTO image_analyses (image_id, analyzer, version, analyzed_at)
SELECT id, 'classifier', 1, created_at FROM images WHERE status = 'ready';
