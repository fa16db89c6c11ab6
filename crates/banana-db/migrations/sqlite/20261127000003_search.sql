-- Keyword search (the keyword side of natural-language search). Each image has one row of
-- searchable text: the names and synonyms of its attached labels, their WordNet categories,
-- its title and attribution. `search_text::refresh` rewrites the row whenever labels, title
-- or attribution change; an FTS5 index over it is kept in step by the triggers below.
ALTER TABLE labels ADD COLUMN categories TEXT NOT NULL DEFAULT '';

CREATE TABLE image_search_text (
    doc_id      INTEGER PRIMARY KEY,
    image_id    TEXT NOT NULL UNIQUE REFERENCES images (id) ON DELETE CASCADE,
    labels      TEXT NOT NULL DEFAULT '',
    categories  TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    attribution TEXT NOT NULL DEFAULT ''
);

CREATE VIRTUAL TABLE image_search USING fts5 (
    labels, categories, title, attribution,
    content = 'image_search_text', content_rowid = 'doc_id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER image_search_text_ai AFTER INSERT ON image_search_text BEGIN
    INSERT INTO image_search (rowid, labels, categories, title, attribution)
    VALUES (new.doc_id, new.labels, new.categories, new.title, new.attribution);
END;

CREATE TRIGGER image_search_text_ad AFTER DELETE ON image_search_text BEGIN
    INSERT INTO image_search (image_search, rowid, labels, categories, title, attribution)
    VALUES ('delete', old.doc_id, old.labels, old.categories, old.title, old.attribution);
END;

CREATE TRIGGER image_search_text_au AFTER UPDATE ON image_search_text BEGIN
    INSERT INTO image_search (image_search, rowid, labels, categories, title, attribution)
    VALUES ('delete', old.doc_id, old.labels, old.categories, old.title, old.attribution);
    INSERT INTO image_search (rowid, labels, categories, title, attribution)
    VALUES (new.doc_id, new.labels, new.categories, new.title, new.attribution);
END;

-- Belt and braces next to the cascade: an image's text goes with it.
CREATE TRIGGER images_search_text_ad AFTER DELETE ON images BEGIN
    DELETE FROM image_search_text WHERE image_id = old.id;
END;

CREATE INDEX image_vectors_kind_updated_idx ON image_vectors (kind, updated_at);
