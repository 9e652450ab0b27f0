-- The drill-down's four statements with literal values, for pgbench: what PostgreSQL alone
-- costs per drill-down on the national database of seed 1 (province P01, id 1, and its
-- districts 64–74). See BENCHMARKS.md:
--   pgbench -h 127.0.0.1 -U postgres -n -M prepared -c 4 -j 2 -T 5 \
--     -f benches/load/drill-down.pgbench.sql ketnap_bench_national
SELECT * FROM units WHERE code = 'P01' LIMIT 1;
SELECT * FROM (SELECT u.*, ROW_NUMBER() OVER (PARTITION BY u.parent_id ORDER BY u.name_search, u.id) AS rn
  FROM units u WHERE u.parent_id IN (1) AND u.dissolved_on IS NULL) page WHERE rn <= 101
  ORDER BY parent_id, name_search, id;
SELECT * FROM targets WHERE unit_id IN (64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74)
  AND period_kind = 'YEAR' AND start_year = 2025;
SELECT unit_id, CAST(SUM(admissions) AS BIGINT) AS n FROM unit_month_counts
  WHERE unit_id IN (64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74)
  AND month >= '2025-01-01' AND month <= '2025-12-31' AND admissions > 0 GROUP BY unit_id;
