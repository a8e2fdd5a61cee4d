-- 009_import_checks.sql - a lighter learners table and staging rows that
-- may belong to a refused student.

-- Duplicate INEs are found in SQL once the whole file is staged, among
-- all its students, refused ones included (their missing fields are NULL
-- here): the importer no longer keeps every INE in memory. A file with
-- any error is never applied, so these rows never reach learners.
ALTER TABLE import_rows
	ALTER COLUMN last_name DROP NOT NULL,
	ALTER COLUMN first_name DROP NOT NULL,
	ALTER COLUMN birth_date DROP NOT NULL;

-- learners had two unique indexes on its id, (organization_id, id) and
-- (id): every imported student paid for both. The id alone is the key;
-- lookups by school and id use it as well.
ALTER TABLE participations DROP CONSTRAINT participations_learner_id_fkey;
ALTER TABLE learners DROP CONSTRAINT learners_pkey;
ALTER TABLE learners DROP CONSTRAINT learners_id_key;
ALTER TABLE learners ADD PRIMARY KEY (id);
ALTER TABLE participations ADD CONSTRAINT participations_learner_id_fkey
	FOREIGN KEY (learner_id) REFERENCES learners (id);
