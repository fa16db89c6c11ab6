-- Keyword search (the keyword side of natural-language search). Each image has one row of
-- searchable text: the names and synonyms of its attached labels, their WordNet categories,
-- its title and attribution. `search_text::refresh` rewrites the row whenever labels, title
-- or attribution change; `document` is derived from it (weights: labels A, title B,
-- categories C, attribution D) and indexed with GIN.
ALTER TABLE labels ADD COLUMN categories TEXT NOT NULL DEFAULT '';

CREATE TABLE image_search_text (
    image_id    TEXT PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE,
    labels      TEXT NOT NULL DEFAULT '',
    categories  TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    attribution TEXT NOT NULL DEFAULT '',
    document    tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', labels), 'A')
        || setweight(to_tsvector('english', title), 'B')
        || setweight(to_tsvector('english', categories), 'C')
        || setweight(to_tsvector('english', attribution), 'D')
    ) STORED
);
CREATE INDEX image_search_text_document_idx ON image_search_text USING GIN (document);

CREATE INDEX image_vectors_kind_updated_idx ON image_vectors (kind, updated_at);
