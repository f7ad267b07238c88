-- The figures sum a period of demands (often a year: hundreds of
-- thousands of rows). This index holds every column the sums read, so the
-- period is read by an index-only scan without visiting the rows with
-- their long texts. It replaces the plain submitted_at index.
CREATE INDEX demands_figures ON demands (submitted_at) INCLUDE (
    lead_department_id, category_id, enterprise_id, state, closure, outcome,
    rating, assigned_at, sign_for_due, signed_on_time, replied_at, reply_due, replied_on_time,
    handling_days, return_count, reopen_count, confidential_at
);
DROP INDEX demands_submitted;

-- A list page walks one of these per state, newest first, and stops after
-- a page. With the reply deadline in the index the overdue view decides
-- each row without reading it.
DROP INDEX demands_state;
CREATE INDEX demands_state ON demands (state, id) INCLUDE (reply_due);
DROP INDEX demands_lead;
CREATE INDEX demands_lead ON demands (lead_department_id, state, id) INCLUDE (reply_due);
