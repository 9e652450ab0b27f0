-- The national ranking's one statement as the server sends it (read cache off), with the 2025
-- values written in, for pgbench: what PostgreSQL alone costs per ranking on the national
-- database. See BENCHMARKS.md ("Plain rows … fifteenth session", "Where the ranking stands"):
--   pgbench -h 127.0.0.1 -U postgres -n -M prepared -c 4 -j 2 -T 5 \
--     -f benches/load/ranking.pgbench.sql ketnap_bench_national
SELECT u.id, u.code, u.name, u.name_search, u.level, u.kind, u.parent_id, u.established_on, u.dissolved_on, u.merged_into_id, u.created_at, u.updated_at, (SELECT CAST(SUM(r.admissions) AS BIGINT) FROM unit_month_counts r WHERE r.unit_id = u.id AND r.month >= '2025-01-01' AND r.month <= '2025-12-01') AS admissions_0, (SELECT t.value FROM targets t WHERE t.unit_id = u.id AND t.kind = 'ASSIGNED' AND t.period_kind = 'YEAR' AND t.start_year = 2025 AND t.end_year = 2025) AS assigned_0, NULL AS resolution_0 FROM units u WHERE u.level = 'PROVINCE' AND u.dissolved_on IS NULL ORDER BY u.name_search, u.id LIMIT 101;
