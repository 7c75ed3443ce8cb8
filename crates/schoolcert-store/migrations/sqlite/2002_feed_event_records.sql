-- Slim stored events. An event parsed from a Shadowserver row is stored as that row (`record`)
-- and parsed again on reading with what its file keeps in `source` (report type, header line,
-- observation time, whether `raw` is kept); its `event_json` is then ''. Other events (IntelMQ
-- JSON, generic CSV, rows whose text had to be repaired) keep their IntelMQ JSON as before.
-- A row is a tenth of the size, which is what lets a day's reports be stored at the rate they
-- are parsed.

ALTER TABLE feed_files ADD COLUMN source TEXT;
ALTER TABLE feed_events ADD COLUMN record TEXT;

-- Address search runs as part of a text search (`LIKE` on host, identifier and address text),
-- which reads the table anyway; the address index was only ever written.
DROP INDEX feed_events_ip;
