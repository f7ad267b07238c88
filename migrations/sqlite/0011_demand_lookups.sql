-- The demand page asks which demands were merged into the one shown; with
-- a million demands that was a full scan (about 1 s). Few demands are ever
-- merged, so the index holds only those.
CREATE INDEX demands_merged_into ON demands (merged_into) WHERE merged_into IS NOT NULL;
