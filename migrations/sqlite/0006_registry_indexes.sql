-- Indexes for the registry list's filter-and-sort paths at scale (see
-- BENCHMARKS.md): each filter column with the name order, and the
-- employees order used by keyset paging.
CREATE INDEX enterprises_industry_code_sort ON enterprises (industry_code, sort_name, id);
CREATE INDEX enterprises_section_sort ON enterprises (industry_section, sort_name, id);
CREATE INDEX enterprises_district_sort ON enterprises (district, sort_name, id);
CREATE INDEX enterprises_country_industry ON enterprises (country, industry_code, sort_name, id);
CREATE INDEX enterprises_employees_order ON enterprises ((COALESCE(employees, -1)) DESC, id);
-- A status matches most rows; alone it is a poor index, so it leads the
-- orders instead.
DROP INDEX enterprises_status;
CREATE INDEX enterprises_status_sort ON enterprises (status, sort_name, id);
CREATE INDEX enterprises_status_employees ON enterprises (status, (COALESCE(employees, -1)) DESC, id);
