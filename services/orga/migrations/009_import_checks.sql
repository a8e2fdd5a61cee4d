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

-- An importer takes a job as soon as its upload starts, and parses the
-- file while it arrives: uploading jobs are due too.
DROP INDEX import_jobs_due;
CREATE INDEX import_jobs_due ON import_jobs (status, lease_until)
	WHERE status IN ('uploading', 'queued', 'validating', 'applying');

-- Every index on learners is paid by each imported student (about 3 µs
-- each on a 2-core machine, a third of the apply). The list and class
-- indexes served one sort order of the list out of several: a school's
-- rows are reached by (organization_id, ine) and its few thousand rows
-- sorted per page instead.
DROP INDEX learners_list;
DROP INDEX learners_class;

-- The staging tables hold the rows of the jobs running now, read whole
-- by bulk joins: their index on (job_id, eleve_id) only slowed the COPY.
DROP INDEX import_rows_job;
DROP INDEX import_classes_job;

-- Every learner is written by the apply of an import job of its school,
-- holding that job's row, and import_jobs (never deleted) references the
-- school: the foreign key from learners to organizations checked the same
-- school again for each imported student, a third of the cost of a large
-- first import's insert.
ALTER TABLE learners DROP CONSTRAINT learners_organization_id_fkey;
