-- images.deleted lowers the image count once and clears an avatar that was deleted. Events of
-- different topics arrive in any order, so a deletion seen before its image's processed event
-- leaves a tombstone row (deleted = true): the later processed event then counts nothing.
alter table auth.user_images add column deleted boolean not null default false;
