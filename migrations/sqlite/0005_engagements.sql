-- Visits (one enterprise) and symposiums (several), with the officials who
-- went, the enterprises and their attendees, and follow-ups.
CREATE TABLE engagements (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    place TEXT,
    purpose TEXT,
    -- Named guests who are not users, e.g. a mayor; one per line.
    guests TEXT,
    -- What was learned (visits) or the minutes (symposiums); plain text.
    findings TEXT,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX engagements_held_on ON engagements (held_on, id);

CREATE TABLE engagement_officials (
    engagement_id INTEGER NOT NULL REFERENCES engagements (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (engagement_id, user_id)
);

CREATE TABLE engagement_enterprises (
    engagement_id INTEGER NOT NULL REFERENCES engagements (id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    PRIMARY KEY (engagement_id, enterprise_id)
);
CREATE INDEX engagement_enterprises_enterprise ON engagement_enterprises (enterprise_id, engagement_id);

CREATE TABLE engagement_attendees (
    engagement_id INTEGER NOT NULL REFERENCES engagements (id),
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    PRIMARY KEY (engagement_id, contact_id)
);

CREATE TABLE follow_ups (
    id INTEGER PRIMARY KEY,
    engagement_id INTEGER NOT NULL REFERENCES engagements (id),
    description TEXT NOT NULL,
    owner_id INTEGER REFERENCES users (id),
    due_on TEXT,
    done_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX follow_ups_engagement ON follow_ups (engagement_id);
CREATE INDEX follow_ups_owner ON follow_ups (owner_id, done_at);
