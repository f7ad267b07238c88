-- Common problems (共性问题): a problem shared by several demands, usually
-- of several enterprises, given its own lead department, deadline and one
-- policy-level reply that answers every member demand (src/problems).
CREATE TABLE common_problems (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    summary TEXT,
    lead_department_id INTEGER NOT NULL REFERENCES departments (id),
    -- A city date (YYYY-MM-DD): due by the end of that day.
    due_on TEXT NOT NULL,
    state TEXT NOT NULL,
    reply TEXT,
    policy_basis TEXT,
    replied_at TEXT,
    replied_by INTEGER REFERENCES users (id),
    closed_at TEXT,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX common_problems_state ON common_problems (state, id);

-- A demand belongs to at most one common problem.
CREATE TABLE common_problem_members (
    demand_id INTEGER PRIMARY KEY REFERENCES demands (id),
    problem_id INTEGER NOT NULL REFERENCES common_problems (id),
    added_at TEXT NOT NULL
);
CREATE INDEX common_problem_members_problem ON common_problem_members (problem_id, demand_id);
