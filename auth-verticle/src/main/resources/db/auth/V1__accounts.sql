-- Accounts, refresh-token families and the profile figures fed by image events.
create table auth.users (
  id            uuid primary key,
  email         text not null,          -- normalised: trimmed, lower case
  name          text not null,
  password_hash text not null,          -- Argon2id PHC string; never leaves this table
  created_at    timestamptz not null
);
create unique index users_email_key on auth.users (lower(email));

-- One row per user, created with the account. Filled by the images.processed consumer
-- (UserStatsRepository.applyImageProcessed); until that consumer is wired the figures stay empty.
create table auth.user_stats (
  user_id           uuid primary key references auth.users (id) on delete cascade,
  avatar_url        text,
  avatar_updated_at timestamptz,
  image_count       integer not null default 0 check (image_count >= 0)
);

-- Gallery images counted in user_stats.image_count; the key makes a redelivered or
-- reprocessed image count once.
create table auth.user_images (
  image_id    uuid primary key,
  user_id     uuid not null references auth.users (id) on delete cascade,
  counted_at  timestamptz not null default now()
);

-- Refresh tokens are stored as SHA-256 of the opaque value. A rotation marks the old one used and
-- adds its successor to the same family; presenting a used one again revokes the whole family.
create table auth.refresh_tokens (
  token_hash  bytea primary key,
  family_id   uuid not null,
  user_id     uuid not null references auth.users (id) on delete cascade,
  issued_at   timestamptz not null default now(),
  expires_at  timestamptz not null,
  used_at     timestamptz,
  revoked_at  timestamptz
);
create index refresh_tokens_family_idx on auth.refresh_tokens (family_id);
create index refresh_tokens_user_idx on auth.refresh_tokens (user_id);
