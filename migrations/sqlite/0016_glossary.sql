-- The multilingual glossary of domain concepts (src/glossary): each
-- concept's terms per language, `|`-separated, the first being its label.
-- Filled with the shipped glossary (data/glossary.csv) when the
-- application first opens the database; kept by administrators after.
CREATE TABLE glossary_concepts (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    domain TEXT NOT NULL,
    terms_zh TEXT NOT NULL,
    terms_ja TEXT NOT NULL,
    terms_ko TEXT NOT NULL,
    terms_en TEXT NOT NULL,
    retired_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
