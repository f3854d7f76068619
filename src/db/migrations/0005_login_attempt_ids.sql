-- Failed log-ins are reserved before the password is checked (so a burst cannot outrun the
-- limit), and a successful attempt removes its own reservation: rows need an identity.
ALTER TABLE login_failures ADD COLUMN id bigserial PRIMARY KEY;
