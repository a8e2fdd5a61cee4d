-- 003_learners_imports.sql - imported students (learners) and the SIECLE
-- import jobs that fill them.

-- unaccent is a trusted extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS unaccent;

-- Keyed by (school, INE). Never deleted: a student absent from a later
-- import is marked inactive, and comes back active if re-imported.
CREATE TABLE learners (
	organization_id    bigint NOT NULL REFERENCES organizations (id),
	id                 bigserial,
	ine                text NOT NULL,
	last_name          text NOT NULL,     -- NOM_DE_FAMILLE
	usage_name         text,              -- NOM_USAGE
	first_name         text NOT NULL,     -- PRENOM
	first_name2        text,
	first_name3        text,
	birth_date         date NOT NULL,
	sex                char(1) CHECK (sex IN ('M', 'F')),
	birth_country_code text,
	birth_dept_code    text,
	birth_commune_code text,
	birth_town         text,
	class_code         text NOT NULL,
	mef_code           text,
	status_code        text,
	eleve_id           text,
	elenoet            text,
	active             boolean NOT NULL DEFAULT true,
	user_id            bigint REFERENCES users (id), -- linked account
	created_at         timestamptz NOT NULL DEFAULT now(),
	updated_at         timestamptz NOT NULL DEFAULT now(),
	left_at            timestamptz,       -- when last found absent
	PRIMARY KEY (organization_id, id),
	UNIQUE (organization_id, ine),
	UNIQUE (id)
);
CREATE INDEX learners_list ON learners (organization_id, active, last_name, first_name);
CREATE INDEX learners_class ON learners (organization_id, class_code);

-- One import of one file for one school. The uploaded bytes live in a
-- PostgreSQL large object until the job ends, so any importer daemon can
-- take the job and a crash loses nothing.
CREATE TABLE import_jobs (
	organization_id bigint NOT NULL REFERENCES organizations (id),
	id              bigserial,
	created_by      bigint REFERENCES users (id),
	format          text NOT NULL CHECK (format IN ('xml', 'zip')),
	upload_oid      oid,
	upload_bytes    bigint NOT NULL DEFAULT 0,
	status          text NOT NULL DEFAULT 'uploading' CHECK (status IN
	                ('uploading', 'queued', 'validating', 'validated',
	                 'applying', 'done', 'failed', 'cancelled')),
	auto_apply      boolean NOT NULL DEFAULT false,
	worker          text,              -- importer holding the lease
	lease_until     timestamptz,
	attempts        integer NOT NULL DEFAULT 0,
	progress_bytes  bigint NOT NULL DEFAULT 0,
	students_read   bigint NOT NULL DEFAULT 0,
	-- preview and outcome
	to_add          integer,
	to_update       integer,
	unchanged       integer,
	to_deactivate   integer,
	skipped_left        integer,
	skipped_not_arrived integer,
	skipped_no_class    integer,
	errors          jsonb,             -- French sentences refusing the file
	skips           jsonb,             -- French sentences, one per skipped student
	created_at      timestamptz NOT NULL DEFAULT now(),
	updated_at      timestamptz NOT NULL DEFAULT now(),
	finished_at     timestamptz,
	PRIMARY KEY (organization_id, id),
	UNIQUE (id)
);
-- One import at a time per school.
CREATE UNIQUE INDEX import_jobs_one_running ON import_jobs (organization_id)
	WHERE status IN ('uploading', 'queued', 'validating', 'validated', 'applying');
CREATE INDEX import_jobs_due ON import_jobs (status, lease_until)
	WHERE status IN ('queued', 'validating', 'applying');

-- The validated rows of a job, before they are applied. Unlogged: after a
-- PostgreSQL crash they are gone and the job is parsed again from its
-- large object.
CREATE UNLOGGED TABLE import_rows (
	job_id             bigint NOT NULL,
	seq                bigint NOT NULL,
	eleve_id           text NOT NULL,
	elenoet            text,
	ine                text NOT NULL,
	last_name          text NOT NULL,
	usage_name         text,
	first_name         text NOT NULL,
	first_name2        text,
	first_name3        text,
	birth_date         date NOT NULL,
	sex                char(1),
	birth_country_code text,
	birth_dept_code    text,
	birth_commune_code text,
	birth_town         text,
	mef_code           text,
	status_code        text
);
CREATE INDEX import_rows_job ON import_rows (job_id, eleve_id);

CREATE UNLOGGED TABLE import_classes (
	job_id     bigint NOT NULL,
	seq        bigint NOT NULL,   -- file order: the last class wins
	eleve_id   text NOT NULL,
	class_code text NOT NULL
);
CREATE INDEX import_classes_job ON import_classes (job_id, eleve_id);

-- Personal API tokens (upload clients): only the hash is stored.
CREATE TABLE api_tokens (
	id           bigserial PRIMARY KEY,
	user_id      bigint NOT NULL REFERENCES users (id),
	name         text NOT NULL,
	token_hash   text NOT NULL UNIQUE,
	created_at   timestamptz NOT NULL DEFAULT now(),
	last_used_at timestamptz,
	revoked_at   timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
