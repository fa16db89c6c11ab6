-- Images, their labels, and the durable job queue. Times are Unix milliseconds.
CREATE TABLE images (
    id            TEXT PRIMARY KEY,
    owner_id      TEXT NOT NULL DEFAULT '',
    sha256        TEXT NOT NULL,
    filename      TEXT NOT NULL,
    title         TEXT,
    attribution   TEXT,
    content_type  TEXT NOT NULL,
    bytes         BIGINT NOT NULL,
    width         BIGINT NOT NULL,
    height        BIGINT NOT NULL,
    has_exif      BIGINT NOT NULL DEFAULT 0,
    visibility    TEXT NOT NULL DEFAULT 'private',
    status        TEXT NOT NULL DEFAULT 'pending',
    status_reason TEXT,
    created_at    BIGINT NOT NULL,
    CONSTRAINT images_owner_sha256_key UNIQUE (owner_id, sha256)
);
CREATE INDEX images_sha256_idx ON images (sha256);
CREATE INDEX images_newest_idx ON images (created_at DESC, id DESC);

CREATE TABLE labels (
    id          TEXT PRIMARY KEY,          -- the WordNet id, e.g. n02123045
    class_index BIGINT NOT NULL,
    name        TEXT NOT NULL,
    synonyms    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE image_labels (
    image_id  TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    label_id  TEXT NOT NULL REFERENCES labels (id),
    score     DOUBLE PRECISION NOT NULL,
    rank      BIGINT NOT NULL,
    attached  BIGINT NOT NULL,              -- 1 when shown as a label, 0 when only in the top-5
    PRIMARY KEY (image_id, label_id)
);
CREATE INDEX image_labels_label_idx ON image_labels (label_id, attached);

CREATE TABLE jobs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'queued',   -- queued | running | done | failed
    attempts     BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL DEFAULT 5,
    run_at       BIGINT NOT NULL,
    locked_by    TEXT,
    locked_until BIGINT,
    last_error   TEXT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX jobs_ready_idx ON jobs (state, run_at);
