-- CalDAV calendars (Fastmail, iCloud, Nextcloud, Radicale...): a calendar collection's URL
-- and the account's credentials, read with a time-range calendar-query (not every server
-- answers a free-busy REPORT).
ALTER TABLE calendars DROP CONSTRAINT calendars_provider_check;
ALTER TABLE calendars ADD CONSTRAINT calendars_provider_check CHECK (provider IN ('ics', 'caldav'));
ALTER TABLE calendars ADD COLUMN username text;
ALTER TABLE calendars ADD COLUMN password text;
