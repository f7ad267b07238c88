-- Column for column equal to migrations/sqlite (a test compares them).
-- Email copies of notifications. A notice to a user with an address is
-- queued for mail ('pending') in the same transaction that creates it; the
-- mail job sends it ('sent') or gives up after mail.max_attempts ('failed').
-- mail_next_at is when it may next be tried; a sender claims a notice by
-- moving it into the future, so two instances never send the same one at
-- once.
ALTER TABLE notifications ADD COLUMN mail_state TEXT;
ALTER TABLE notifications ADD COLUMN mail_attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN mail_next_at TEXT;
ALTER TABLE notifications ADD COLUMN mailed_at TEXT;
ALTER TABLE notifications ADD COLUMN mail_error TEXT;
CREATE INDEX notifications_mail_due ON notifications (mail_next_at) WHERE mail_state = 'pending';
