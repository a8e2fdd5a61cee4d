-- 014_membership_last_used.sql - when each member last opened each of
-- their schools' spaces, so a person in several schools (a cité scolaire's
-- head, a teacher in two schools) lands on the one used last. Written only
-- when the school opened is not already the person's latest.
ALTER TABLE memberships ADD COLUMN last_used_at timestamptz;
