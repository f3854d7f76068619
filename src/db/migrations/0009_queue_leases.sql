-- Each claim of a queued webhook delivery or e-mail gets its own lease token: an attempt may
-- record its outcome (or go ahead at all) only while the lease it was given is still the
-- row's, so a claim that ran out and was taken over can neither send again nor overwrite.
ALTER TABLE webhook_deliveries ADD COLUMN lease uuid;
ALTER TABLE emails ADD COLUMN lease uuid;
