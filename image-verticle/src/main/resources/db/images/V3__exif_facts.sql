-- Uploads are stored without their metadata (EXIF with GPS, XMP, comments): the camera and the
-- date the owner is shown are read before that and kept here, then joined to the worker's metadata.
alter table images.images add column exif_facts jsonb;
comment on column images.images.exif_facts is
  'Camera make/model and DateTimeOriginal read from the upload''s EXIF before it was stripped: {camera?: {make?, model?}, takenAt?}; null when it had none.';
