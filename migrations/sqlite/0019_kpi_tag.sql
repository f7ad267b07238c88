-- A KPI fed by "enterprises visited" may count only enterprises with one tag
-- (the key enterprises, say): the road map's targets are set for them.
ALTER TABLE goal_kpis ADD COLUMN tag_id INTEGER REFERENCES tags (id);
