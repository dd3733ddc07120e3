-- A unit's month (its report, and the lines of the units below it) is one stretch of this index: unit,
-- then day, with the counts carried in the index. The primary key (unit, measure, day, dimension) serves
-- a series over time (the analysis, the warning pass); read by day range alone, it would step over every
-- measure of every day of the unit's whole history.
CREATE INDEX daily_figures_unit_day_idx ON daily_figures (unit_id, day) INCLUDE (measure, dimension, count);
