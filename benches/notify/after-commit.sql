BEGIN;
INSERT INTO t16_writes (payload) VALUES ('x');
COMMIT;
SELECT pg_notify('t16_changes', 'v1 - 1,2,3,4');
