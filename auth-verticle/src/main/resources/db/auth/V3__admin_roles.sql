-- Roles beyond "user", granted to an account (its id, not an e-mail address that anyone could
-- register first) by an operator with `bin/admin grant`, and taken back with `bin/admin revoke`.
create table auth.user_roles (
  user_id    uuid not null references auth.users (id) on delete cascade,
  role       text not null check (role in ('admin')),
  granted_at timestamptz not null default now(),
  granted_by text not null,
  primary key (user_id, role)
);

-- Every grant and revoke, kept after the account or the role is gone: who did what, to whom, when.
create table auth.role_changes (
  id        bigserial primary key,
  at        timestamptz not null default now(),
  user_id   uuid not null,
  email     text not null,
  role      text not null,
  action    text not null check (action in ('grant', 'revoke')),
  operator  text not null
);
