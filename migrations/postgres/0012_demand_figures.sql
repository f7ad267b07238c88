-- Column for column equal to migrations/sqlite (a test compares them).
-- What the figures count, fixed when a demand is saved, so the figures
-- page sums them in the database instead of reading every demand:
-- whether it was signed for and replied by the end of the deadline day
-- (1/0), and the working days from assignment to reply. Existing demands
-- get the flags here; the supervision job fills in their working days,
-- which need the calendar.
ALTER TABLE demands ADD COLUMN signed_on_time BIGINT;
ALTER TABLE demands ADD COLUMN replied_on_time BIGINT;
ALTER TABLE demands ADD COLUMN handling_days BIGINT;
UPDATE demands SET
    signed_on_time = CASE WHEN signed_at IS NULL OR sign_for_due IS NULL THEN NULL
        WHEN to_char(signed_at::timestamptz AT TIME ZONE 'UTC' + interval '8 hours', 'YYYY-MM-DD')
            <= sign_for_due THEN 1 ELSE 0 END,
    replied_on_time = CASE WHEN replied_at IS NULL OR reply_due IS NULL THEN NULL
        WHEN to_char(replied_at::timestamptz AT TIME ZONE 'UTC' + interval '8 hours', 'YYYY-MM-DD')
            <= reply_due THEN 1 ELSE 0 END;
-- The figures read a period of submissions.
CREATE INDEX demands_submitted ON demands (submitted_at);
