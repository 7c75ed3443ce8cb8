-- When a board was last reminded to confirm a stale contact (at most monthly).
-- SQLite twin of migrations/postgres/1004_contact_reminders.sql.
ALTER TABLE contacts ADD COLUMN reminded_at TEXT;
