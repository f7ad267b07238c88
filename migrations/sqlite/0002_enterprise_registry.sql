-- The enterprise registry: identity, classification, size, status; tags.

ALTER TABLE enterprises ADD COLUMN uscc TEXT;
ALTER TABLE enterprises ADD COLUMN parent_company TEXT;
ALTER TABLE enterprises ADD COLUMN industry_code TEXT;
-- The GB/T 4754 section of industry_code, kept beside it so lists can
-- filter by section with an index.
ALTER TABLE enterprises ADD COLUMN industry_section TEXT;
ALTER TABLE enterprises ADD COLUMN district TEXT;
ALTER TABLE enterprises ADD COLUMN address TEXT;
ALTER TABLE enterprises ADD COLUMN founded_on TEXT;
-- A decimal number as text (exact on both backends), in capital_currency.
ALTER TABLE enterprises ADD COLUMN registered_capital TEXT;
ALTER TABLE enterprises ADD COLUMN capital_currency TEXT;
ALTER TABLE enterprises ADD COLUMN employees INTEGER;
ALTER TABLE enterprises ADD COLUMN main_products TEXT;
ALTER TABLE enterprises ADD COLUMN status TEXT NOT NULL DEFAULT 'operating';
-- The name lists sort by: the first name the enterprise has.
ALTER TABLE enterprises ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';

UPDATE enterprises SET sort_name = COALESCE(name_zh, name_en, name_ja, name_ko, '');

CREATE UNIQUE INDEX enterprises_uscc ON enterprises (uscc);
CREATE INDEX enterprises_sort_name ON enterprises (sort_name, id);
CREATE INDEX enterprises_country ON enterprises (country, sort_name, id);
CREATE INDEX enterprises_industry ON enterprises (industry_section, industry_code);
CREATE INDEX enterprises_district ON enterprises (district);
CREATE INDEX enterprises_status ON enterprises (status);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_ja TEXT,
    name_ko TEXT,
    name_en TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    retired_at TEXT
);

CREATE TABLE enterprise_tags (
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    tag_id INTEGER NOT NULL REFERENCES tags (id),
    PRIMARY KEY (enterprise_id, tag_id)
);
CREATE INDEX enterprise_tags_tag ON enterprise_tags (tag_id, enterprise_id);
