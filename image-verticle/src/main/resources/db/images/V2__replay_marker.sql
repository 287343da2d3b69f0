-- A replay of a dead letter re-arms an image once per replayed record.
alter table images.images add column replay_marker text;
comment on column images.images.replay_marker is
  'The replayed images.uploaded record (topic/partition@offset) that re-armed this image; a redelivery of that same record does not re-arm it again.';
