-- What a photo says about itself (the `metadata` analyzer): when it was taken, with what, and
-- where. One row per image, written with the analyzer's `image_analyses` record; images
-- stored before this table get theirs from the backfill (`reanalyze` jobs, queued at start).
--   taken_at_ms      the instant (UTC ms; the wall clock read as UTC when no offset is known),
--                    the gallery's sort key
--   taken_local      the wall clock as recorded, 'YYYY-MM-DDTHH:MM:SS' (date filters, timeline)
--   taken_offset_min minutes east of UTC, when the file says
--   taken_source     exif | xmp | file | upload | manual
--   taken_manual, location_manual: 1 when the owner corrected it (a rerun keeps the correction)
CREATE TABLE image_metadata (
    image_id         TEXT PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE,
    taken_at_ms      BIGINT NOT NULL,
    taken_local      TEXT NOT NULL,
    taken_offset_min BIGINT,
    taken_source     TEXT NOT NULL,
    taken_manual     BIGINT NOT NULL DEFAULT 0,
    camera_make      TEXT,
    camera_model     TEXT,
    lens             TEXT,
    focal_length_mm  DOUBLE PRECISION,
    f_number         DOUBLE PRECISION,
    exposure_time_s  DOUBLE PRECISION,
    iso              BIGINT,
    lat              DOUBLE PRECISION,
    lon              DOUBLE PRECISION,
    city             TEXT,
    region           TEXT,
    country_code     TEXT,
    location_manual  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX image_metadata_taken_idx ON image_metadata (taken_at_ms);
CREATE INDEX image_metadata_place_idx ON image_metadata (country_code, city);
