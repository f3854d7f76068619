-- Stored answers of idempotent requests hold secrets (an invitee's self-service links, with
-- their token). From now on the key is stored hashed and the answer sealed (AES-256-GCM) under
-- a key derived from the Idempotency-Key itself: only a client that sends the key can have its
-- answer back, and a reader of the database cannot use it. Answers stored in clear before are
-- dropped: a retry that spans the upgrade acts again instead of replaying.
DELETE FROM idempotency_keys;
ALTER TABLE idempotency_keys DROP COLUMN body;
ALTER TABLE idempotency_keys ADD COLUMN sealed_answer text;
