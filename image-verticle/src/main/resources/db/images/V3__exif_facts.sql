-- Uploads are stored without their metadata (EXIF with GPS, XMP, comments): the camera and the
-- date the owner is shown are read before that and kept here, then joined to the worker's metadata.
alter table images.images add column exif_facts jsonb;
comment on column images.images.exif_facts is
  'Camera make/model and DateTimeOriginal read from the upload''s EXIF before it was stripped: {camera?: {make?, model?}, takenAt?}; null when it had none.';

-- Rows of earlier versions point at blobs stored with their metadata: false until the backfill
-- (MetadataBackfill) has rewritten their blob; every row inserted from now on is stripped at upload.
alter table images.images add column stripped boolean not null default false;
alter table images.images alter column stripped set default true;
create index images_unstripped on images.images (sha256) where not stripped;
comment on column images.images.stripped is
  'Whether the blob this row names was stored without metadata (true for every upload since schema version 3).';
