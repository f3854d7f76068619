-- Google Calendar, linked by OAuth 2: the refresh token is stored sealed (AES-256-GCM under
-- SECRET_KEY), with the id of the Google calendar read and written (its primary one).
ALTER TABLE calendars DROP CONSTRAINT calendars_provider_check;
ALTER TABLE calendars ADD CONSTRAINT calendars_provider_check CHECK (provider IN ('ics', 'caldav', 'google'));
ALTER TABLE calendars ADD COLUMN sealed_token text;
ALTER TABLE calendars ADD COLUMN external_id text;
