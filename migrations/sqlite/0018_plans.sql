-- The road map and the task book (src/plans): plans with a horizon and a
-- period, goals with KPIs and their history, and a tree of tasks under each
-- goal with lead and co-units, milestones and progress reports.
CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    summary TEXT,
    -- short (up to a year), medium (1-3 years), long (3-5 years and more).
    horizon TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    -- One key area per line.
    key_areas TEXT NOT NULL DEFAULT '',
    -- GB/T 4754 codes of the registry, comma-separated.
    key_industries TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    approved_by INTEGER REFERENCES users (id),
    approved_at TEXT,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE plan_goals (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    title TEXT NOT NULL,
    description TEXT,
    position INTEGER NOT NULL,
    -- The weighted average of its top-level tasks (0-100), kept current.
    progress REAL NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX plan_goals_plan ON plan_goals (plan_id, position);

CREATE TABLE goal_kpis (
    id INTEGER PRIMARY KEY,
    goal_id INTEGER NOT NULL REFERENCES plan_goals (id),
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    -- higher or lower is better.
    direction TEXT NOT NULL,
    -- manual, or one of Liaison's own figures (src/plans/kpi.rs).
    source TEXT NOT NULL,
    -- Decimals as text, exactly as entered.
    baseline TEXT NOT NULL,
    baseline_on TEXT NOT NULL,
    target TEXT NOT NULL,
    target_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX goal_kpis_goal ON goal_kpis (goal_id, id);

-- Values of manual KPIs as entered: who, when and from what source.
CREATE TABLE kpi_values (
    id INTEGER PRIMARY KEY,
    kpi_id INTEGER NOT NULL REFERENCES goal_kpis (id),
    value TEXT NOT NULL,
    observed_on TEXT NOT NULL,
    source TEXT,
    entered_by INTEGER REFERENCES users (id),
    entered_at TEXT NOT NULL
);
CREATE INDEX kpi_values_kpi ON kpi_values (kpi_id, observed_on, id);

CREATE TABLE plan_tasks (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    goal_id INTEGER NOT NULL REFERENCES plan_goals (id),
    parent_id INTEGER REFERENCES plan_tasks (id),
    title TEXT NOT NULL,
    objective TEXT,
    measures TEXT,
    lead_department_id INTEGER NOT NULL REFERENCES departments (id),
    starts_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    weight REAL NOT NULL DEFAULT 1,
    -- 0-100: the last report's percent (a leaf) or the weighted average of
    -- the children, kept current on every change.
    progress REAL NOT NULL DEFAULT 0,
    -- not_started, on_track, at_risk, late, done: computed (src/plans/rollup.rs).
    status TEXT NOT NULL,
    done_on TEXT,
    position INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX plan_tasks_plan ON plan_tasks (plan_id, goal_id, position);
CREATE INDEX plan_tasks_parent ON plan_tasks (parent_id);
CREATE INDEX plan_tasks_lead ON plan_tasks (lead_department_id, due_on);
CREATE INDEX plan_tasks_due ON plan_tasks (status, due_on);

CREATE TABLE task_co_units (
    task_id INTEGER NOT NULL REFERENCES plan_tasks (id),
    department_id INTEGER NOT NULL REFERENCES departments (id),
    PRIMARY KEY (task_id, department_id)
);
CREATE INDEX task_co_units_department ON task_co_units (department_id, task_id);

CREATE TABLE task_milestones (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES plan_tasks (id),
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    done_on TEXT
);
CREATE INDEX task_milestones_task ON task_milestones (task_id, due_on);

-- Progress reports of the lead unit (kind progress, with a percent) and
-- inputs of co-units (kind input).
CREATE TABLE task_reports (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES plan_tasks (id),
    kind TEXT NOT NULL,
    percent INTEGER,
    body TEXT NOT NULL,
    department_id INTEGER REFERENCES departments (id),
    author_id INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX task_reports_task ON task_reports (task_id, id);

-- Supervision notices of tasks, claimed one per task, level and due day so
-- each goes out exactly once however many instances supervise.
CREATE TABLE task_notices (
    task_id INTEGER NOT NULL REFERENCES plan_tasks (id),
    level TEXT NOT NULL,
    due_on TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (task_id, level, due_on)
);

-- Leaders' instructions (批示) on a plan, a goal or a task.
CREATE TABLE plan_instructions (
    id INTEGER PRIMARY KEY,
    -- plan, plan_goal or plan_task.
    entity_type TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    body TEXT NOT NULL,
    author_id INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX plan_instructions_entity ON plan_instructions (entity_type, entity_id, id);

-- What a task works on: common problems, demands, enterprises (and, later,
-- investment projects). Their pages link back.
CREATE TABLE task_links (
    task_id INTEGER NOT NULL REFERENCES plan_tasks (id),
    target_type TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    PRIMARY KEY (task_id, target_type, target_id)
);
CREATE INDEX task_links_target ON task_links (target_type, target_id);
