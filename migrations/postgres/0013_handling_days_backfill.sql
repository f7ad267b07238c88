-- Column for column equal to migrations/sqlite (a test compares them).
-- The supervision job looks for replied demands still without working days
-- (saved before migration 0012) on every run; this index holds only those,
-- so once they are filled in the look costs nothing.
CREATE INDEX demands_without_handling_days ON demands (id)
    WHERE handling_days IS NULL AND replied_at IS NOT NULL;
