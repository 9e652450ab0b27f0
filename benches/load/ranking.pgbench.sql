-- The national ranking's one statement as the server sends it (read cache off), with the 2025
-- values written in, for pgbench: what PostgreSQL alone costs per ranking on the national
-- database. See BENCHMARKS.md ("The year's figures in one row", sixteenth session):
--   pgbench -h 127.0.0.1 -U postgres -n -M prepared -c 4 -j 2 -T 5 \
--     -f benches/load/ranking.pgbench.sql ketnap_bench_national
SELECT u.id, u.code, u.name, u.name_search, u.level, u.kind, u.parent_id, u.established_on, u.dissolved_on, u.merged_into_id, u.created_at, u.updated_at, y0.admissions AS admissions_0, y0.assigned_target AS assigned_0, NULL AS resolution_0 FROM units u LEFT JOIN unit_year_figures y0 ON y0.unit_id = u.id AND y0.year = 2025 WHERE u.level = 'PROVINCE' AND u.dissolved_on IS NULL ORDER BY u.name_search, u.id LIMIT 101;
