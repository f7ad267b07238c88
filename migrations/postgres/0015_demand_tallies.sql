-- Running totals behind the city-wide figures (see src/demands/tally.rs):
-- per grouping, city month of submission, confidentiality and handling
-- days, the counts of the demands in it, every deadline taken as passed.
-- Filled from the demands when the application first opens the database.
CREATE TABLE demand_tallies (
    by_group TEXT NOT NULL,
    month TEXT NOT NULL,
    key TEXT NOT NULL,
    confidential INTEGER NOT NULL,
    days INTEGER NOT NULL,
    demands BIGINT NOT NULL,
    assigned BIGINT NOT NULL,
    response_due BIGINT NOT NULL,
    responded BIGINT NOT NULL,
    reply_counted BIGINT NOT NULL,
    replied_on_time BIGINT NOT NULL,
    closed BIGINT NOT NULL,
    resolved BIGINT NOT NULL,
    rated BIGINT NOT NULL,
    satisfied BIGINT NOT NULL,
    returned BIGINT NOT NULL,
    replied BIGINT NOT NULL,
    reopened BIGINT NOT NULL,
    timed BIGINT NOT NULL,
    PRIMARY KEY (by_group, month, key, confidential, days)
);

-- The demands whose deadlines have not passed are taken back out of the
-- tallies when figures are read: these find them (open demands of the
-- last few days) without touching the others.
CREATE INDEX demands_sign_for_pending ON demands (sign_for_due) WHERE sign_for_due IS NOT NULL;
CREATE INDEX demands_reply_pending ON demands (reply_due) WHERE reply_due IS NOT NULL;
