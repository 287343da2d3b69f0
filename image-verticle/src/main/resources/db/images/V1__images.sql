-- Image rows and their owners' quota rows.
create table images.users (
  user_id       uuid primary key,
  registered_at timestamptz,
  quota_bytes   bigint check (quota_bytes > 0),
  quota_count   integer check (quota_count > 0),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
comment on table images.users is
  'Owners of images: provisioned by users.registered, or by their first upload if that comes first. Null quotas mean the configured defaults.';
create table images.images (
  id                 uuid primary key,
  owner_id           uuid not null references images.users (user_id),
  sha256             text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  format             text not null check (format in ('png', 'jpeg', 'gif', 'webp')),
  bytes              bigint not null check (bytes > 0),
  width              integer not null check (width > 0),
  height             integer not null check (height > 0),
  purpose            text not null default 'gallery' check (purpose in ('gallery', 'avatar')),
  status             text not null default 'processing' check (status in ('processing', 'ready', 'failed')),
  failure_reason     text,
  metadata           jsonb,
  pending_event_id   uuid not null,
  processed_event_id uuid,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  constraint images_failed_has_reason check ((status = 'failed') = (failure_reason is not null))
);
comment on column images.images.pending_event_id is
  'The images.uploaded event whose result this row waits for; results of other events are ignored.';
comment on column images.images.processed_event_id is
  'The event whose result the row carries: a redelivery of it changes nothing.';
create index images_owner_newest on images.images (owner_id, created_at desc, id desc);
create index images_blob on images.images (sha256);
