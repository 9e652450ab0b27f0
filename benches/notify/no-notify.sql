BEGIN;
INSERT INTO t16_writes (payload) VALUES ('x');
COMMIT;
