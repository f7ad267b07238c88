-- In-app notifications, the kinds each user muted, and the supervision
-- notices already sent (one per demand, level and deadline: the primary
-- key makes each notice go out once, however many instances run).
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    -- The subject's title as it was (user content, shown as written).
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);

CREATE TABLE notification_mutes (
    user_id INTEGER NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

CREATE TABLE supervision_notices (
    demand_id INTEGER NOT NULL REFERENCES demands (id),
    level TEXT NOT NULL,
    due TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (demand_id, level, due)
);
