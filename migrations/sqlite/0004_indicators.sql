-- Operating indicators: one value per enterprise, period and metric.
CREATE TABLE indicators (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    -- "2025" for a year, "2025-Q3" for a quarter.
    period TEXT NOT NULL,
    metric TEXT NOT NULL,
    -- A decimal number as text, in `unit` (and `currency` for money).
    value TEXT NOT NULL,
    unit TEXT NOT NULL,
    currency TEXT,
    -- Set when the enterprise itself reported the value.
    reported_by_enterprise_at TEXT,
    entered_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (enterprise_id, period, metric)
);
