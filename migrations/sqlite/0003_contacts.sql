-- Contact persons of enterprises. Removed contacts are kept (events point
-- at them) but hidden.
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    name TEXT NOT NULL,
    title TEXT,
    phone TEXT,
    email TEXT,
    preferred_locale TEXT,
    -- Set while this is the enterprise's primary contact.
    primary_since TEXT,
    user_id INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    removed_at TEXT
);
CREATE INDEX contacts_enterprise ON contacts (enterprise_id, removed_at);
CREATE INDEX contacts_user ON contacts (user_id);
