-- Files attached to records (visits now; demands and tasks later). The bytes
-- live in the database, once per content hash, so that a file and the
-- record naming it are written in one transaction and every instance on a
-- shared PostgreSQL sees the same files.
CREATE TABLE attachment_blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    -- What the file belongs to: owner_type names the feature, e.g. 'engagement'.
    owner_type TEXT NOT NULL,
    owner_id INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL REFERENCES attachment_blobs (sha256),
    uploaded_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    removed_at TEXT
);
CREATE INDEX attachments_owner ON attachments (owner_type, owner_id, id);
