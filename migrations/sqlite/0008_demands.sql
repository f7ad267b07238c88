-- Demands (诉求): what enterprises ask for, routed to departments, held to
-- deadlines in working days, answered and rated.

-- Exceptions to the weekday rule: public holidays ('holiday') and adjusted
-- working days ('workday'). Days not listed follow Monday–Friday.
CREATE TABLE calendar_days (
    day TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT,
    updated_at TEXT NOT NULL
);

-- Deadlines in working days by kind of category; priority 'urgent' uses
-- urgent_reply_days (0: the same working day).
CREATE TABLE sla_policies (
    kind TEXT PRIMARY KEY,
    sign_for_days INTEGER NOT NULL,
    reply_days INTEGER NOT NULL,
    urgent_reply_days INTEGER NOT NULL,
    feedback_days INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO sla_policies VALUES ('enquiry', 1, 3, 0, 5, '1970-01-01T00:00:00.000000Z');
INSERT INTO sla_policies VALUES ('complaint', 1, 13, 0, 5, '1970-01-01T00:00:00.000000Z');
INSERT INTO sla_policies VALUES ('coordination', 1, 13, 0, 5, '1970-01-01T00:00:00.000000Z');

-- Categories in a tree; each names the department that leads its demands
-- by default (the responsibility matrix) and its SLA policy.
CREATE TABLE demand_categories (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES demand_categories (id),
    name_zh TEXT NOT NULL,
    name_ja TEXT,
    name_ko TEXT,
    name_en TEXT,
    lead_department_id INTEGER REFERENCES departments (id),
    sla_kind TEXT NOT NULL REFERENCES sla_policies (kind),
    retired_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE demands (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    contact_id INTEGER REFERENCES contacts (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    -- The language the enterprise wrote in (zh-CN, ja, ko, en).
    lang TEXT NOT NULL,
    category_id INTEGER REFERENCES demand_categories (id),
    priority TEXT NOT NULL,
    source TEXT NOT NULL,
    engagement_id INTEGER REFERENCES engagements (id),
    confidential_at TEXT,
    state TEXT NOT NULL,
    lead_department_id INTEGER REFERENCES departments (id),
    submitted_by INTEGER REFERENCES users (id),
    submitted_at TEXT NOT NULL,
    accepted_at TEXT,
    rejected_at TEXT,
    reject_reason TEXT,
    assigned_at TEXT,
    -- Deadlines are city dates (YYYY-MM-DD): due by the end of that day.
    sign_for_due TEXT,
    signed_at TEXT,
    signed_by INTEGER REFERENCES users (id),
    returned_at TEXT,
    return_reason TEXT,
    reply_due TEXT,
    -- Set while waiting for the enterprise's answer: the reply clock stops.
    paused_at TEXT,
    extension_requested_due TEXT,
    extension_reason TEXT,
    replied_at TEXT,
    replied_by INTEGER REFERENCES users (id),
    outcome TEXT,
    reply TEXT,
    reply_lang TEXT,
    policy_basis TEXT,
    feedback_due TEXT,
    rating TEXT,
    rating_reason TEXT,
    rated_at TEXT,
    closed_at TEXT,
    closure TEXT,
    close_note TEXT,
    reopen_count INTEGER NOT NULL,
    return_count INTEGER NOT NULL,
    merged_into INTEGER REFERENCES demands (id),
    -- 督办: late, or a leader gave an instruction.
    supervised_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX demands_state ON demands (state, id);
CREATE INDEX demands_lead ON demands (lead_department_id, state, id);
CREATE INDEX demands_enterprise ON demands (enterprise_id, id);
CREATE INDEX demands_reply_due ON demands (state, reply_due);
CREATE INDEX demands_engagement ON demands (engagement_id);

CREATE TABLE demand_co_departments (
    demand_id INTEGER NOT NULL REFERENCES demands (id),
    department_id INTEGER NOT NULL REFERENCES departments (id),
    PRIMARY KEY (demand_id, department_id)
);
CREATE INDEX demand_co_departments_department ON demand_co_departments (department_id, demand_id);

-- What people wrote while handling a demand: internal notes, co-department
-- inputs and leader instructions (staff only); questions to the enterprise
-- and its answers (public_at set: the enterprise sees them).
CREATE TABLE demand_entries (
    id INTEGER PRIMARY KEY,
    demand_id INTEGER NOT NULL REFERENCES demands (id),
    kind TEXT NOT NULL,
    public_at TEXT,
    author_id INTEGER REFERENCES users (id),
    department_id INTEGER REFERENCES departments (id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX demand_entries_demand ON demand_entries (demand_id, id);
