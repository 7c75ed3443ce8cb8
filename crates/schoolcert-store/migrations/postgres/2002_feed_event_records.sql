-- Slim stored events. An event parsed from a Shadowserver row is stored as that row (`record`)
-- and parsed again on reading with what its file keeps in `source` (report type, header line,
-- observation time, whether `raw` is kept); its `event_json` is then ''. Other events (IntelMQ
-- JSON, generic CSV, rows whose text had to be repaired) keep their IntelMQ JSON as before.
-- A row is a tenth of the size, which is what lets a day's reports be stored at the rate they
-- are parsed.

ALTER TABLE feed_files ADD COLUMN source TEXT;
ALTER TABLE feed_events ADD COLUMN record TEXT;

-- The bulk table checks nothing per row that the application does not already guarantee:
-- boards and feed files are never deleted, and every id written comes from them. Measured on
-- 100,000 rows, the two foreign-key checks cost more than the table's four indexes together.
-- (SQLite keeps its constraints: rebuilding the table for them is not worth it there.)
ALTER TABLE feed_events DROP CONSTRAINT feed_events_board_id_fkey;
ALTER TABLE feed_events DROP CONSTRAINT feed_events_file_id_fkey;

-- Address search runs as part of a text search (`LIKE` on host, identifier and address text),
-- which reads the table anyway; the address index was only ever written.
DROP INDEX feed_events_ip;
