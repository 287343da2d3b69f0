-- The avatar is keyed by the image it came from, not by its URL: the same file uploaded twice as
-- an avatar gives two images with one URL, and deleting the older must not clear the current one.
-- Avatars set before this version have no image id; their deletion still matches by URL.
alter table auth.user_stats add column avatar_image_id uuid;
