// Request and response shapes of accounts, sessions, tokens and users (also the OpenAPI).
import { Type, type Static } from 'typebox';
import { TimeZoneName, Uuid } from '../../http/schemas';

export const USERNAME_PATTERN = '^[a-z0-9](?:[a-z0-9_-]{1,38}[a-z0-9])$';

const Username = Type.String({
  minLength: 3,
  maxLength: 40,
  description: '3-40 characters: lowercase letters, digits, "-" and "_", starting and ending with a letter or digit',
  examples: ['ada'],
});
const Email = Type.String({
  minLength: 3,
  maxLength: 254,
  description: 'E-mail address',
  examples: ['ada@example.com'],
});
const Password = Type.String({
  minLength: 1,
  maxLength: 256,
  description: 'At least 10 characters',
  examples: ['correct horse battery'],
});
const Name = Type.String({ maxLength: 100, description: 'Display name', examples: ['Ada Lovelace'] });

export const UserSchema = Type.Object({
  id: Uuid,
  username: Type.String(),
  email: Type.String(),
  name: Type.String(),
  timezone: Type.String(),
  is_admin: Type.Boolean(),
  created_at: Type.String(),
});
export const PublicUserSchema = Type.Object({
  username: Type.String(),
  name: Type.String(),
  timezone: Type.String(),
  email: Type.Optional(Type.String({ description: 'Shown to admins only' })),
});

export const SignupBody = Type.Object({
  username: Username,
  email: Email,
  password: Password,
  name: Type.Optional(Name),
  timezone: Type.Optional(TimeZoneName),
});
export type SignupBody = Static<typeof SignupBody>;

export const LoginBody = Type.Object({
  login: Type.String({ minLength: 1, maxLength: 254, description: 'Username or e-mail', examples: ['ada'] }),
  password: Type.String({ minLength: 1, maxLength: 256, examples: ['correct horse battery'] }),
});
export type LoginBody = Static<typeof LoginBody>;

export const SignupReply = Type.Object({ user: UserSchema, token: Type.String() });
export const LoginReply = Type.Object({ token: Type.String(), user: UserSchema, csrf_token: Type.String() });

export const PatchMeBody = Type.Object({
  username: Type.Optional(Username),
  email: Type.Optional(Email),
  name: Type.Optional(Name),
  timezone: Type.Optional(TimeZoneName),
  password: Type.Optional(Password),
  current_password: Type.Optional(
    Type.String({ maxLength: 256, description: 'Required to change the e-mail address or the password' }),
  ),
});
export type PatchMeBody = Static<typeof PatchMeBody>;

export const TokenCreateBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100, examples: ['CI script'] }),
  expires_at: Type.Optional(Type.String({ maxLength: 40, description: 'RFC 3339 instant, in the future' })),
});
export type TokenCreateBody = Static<typeof TokenCreateBody>;

export const TokenSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  created_at: Type.String(),
  expires_at: Type.Union([Type.String(), Type.Null()]),
  last_used_at: Type.Union([Type.String(), Type.Null()]),
});
export const CreatedTokenSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  token: Type.String({ description: 'The secret; shown only in this answer' }),
  created_at: Type.String(),
  expires_at: Type.Union([Type.String(), Type.Null()]),
});
