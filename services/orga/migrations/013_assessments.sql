-- 013_assessments.sql - campaigns that assess (issue 12): the published
-- versions of the content bundle, the parcours of an assessment campaign,
-- one assessment per participation with its answers, and the results a
-- participation shares.

-- A published bundle: its files as published, its hash (the loader's:
-- equal hashes, equal bundles), who published it and when. Not owned by
-- a school: the platform's content.
CREATE TABLE content_versions (
	id           bigserial PRIMARY KEY,
	hash         text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
	published_by text NOT NULL CHECK (length(published_by) BETWEEN 1 AND 200),
	published_at timestamptz NOT NULL DEFAULT now(),
	files        integer NOT NULL,
	bytes        bigint NOT NULL,
	questions    integer NOT NULL,
	parcours     integer NOT NULL
);
CREATE TABLE content_files (
	version_id bigint NOT NULL REFERENCES content_versions (id),
	name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
	data       bytea NOT NULL,
	PRIMARY KEY (version_id, name)
);

-- An assessment campaign measures one parcours of the content version
-- it was created with (NULL for profile collections).
ALTER TABLE campaigns
	ADD COLUMN parcours_id text CHECK (length(parcours_id) <= 40),
	ADD COLUMN content_version_id bigint REFERENCES content_versions (id),
	ADD CONSTRAINT campaigns_parcours_versioned
		CHECK ((parcours_id IS NULL) = (content_version_id IS NULL)),
	ADD CONSTRAINT campaigns_parcours_assessment
		CHECK (parcours_id IS NULL OR type = 'ASSESSMENT');

-- One assessment per participation: the version it started with (kept
-- whatever is published later), its random seed, the question asked now.
CREATE TABLE assessments (
	organization_id    bigint NOT NULL REFERENCES organizations (id),
	id                 bigserial,
	participation_id   bigint NOT NULL UNIQUE REFERENCES participations (id),
	user_id            bigint NOT NULL REFERENCES users (id),
	content_version_id bigint NOT NULL REFERENCES content_versions (id),
	parcours_id        text NOT NULL,
	seed               bigint NOT NULL,
	state              text NOT NULL DEFAULT 'STARTED'
	                   CHECK (state IN ('STARTED', 'COMPLETED')),
	current_question   text,
	asked_at           timestamptz,
	answered           integer NOT NULL DEFAULT 0,
	created_at         timestamptz NOT NULL DEFAULT now(),
	completed_at       timestamptz,
	PRIMARY KEY (organization_id, id),
	UNIQUE (id),
	CHECK ((state = 'STARTED') = (current_question IS NOT NULL))
);
CREATE INDEX assessments_user ON assessments (user_id, created_at);

-- One row per question answered (or passed), in order: each is final.
CREATE TABLE assessment_answers (
	organization_id bigint NOT NULL REFERENCES organizations (id),
	assessment_id   bigint NOT NULL REFERENCES assessments (id),
	seq             integer NOT NULL CHECK (seq >= 1),
	question_id     text NOT NULL,
	skill_id        text NOT NULL,
	correct         boolean NOT NULL,
	skipped         boolean NOT NULL,
	answer          text NOT NULL CHECK (length(answer) <= 4000),
	answered_at     timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (organization_id, assessment_id, seq),
	UNIQUE (assessment_id, question_id)
);

-- What a participation shared, computed once when shared so the Results
-- tab and the export read it cheaply: mastery (NULL for a profile
-- collection) and, per competence, {"code","validated","total","level",
-- "points"}; per topic {"id","validated","total"} for the participant's
-- page.
CREATE TABLE participation_results (
	organization_id  bigint NOT NULL REFERENCES organizations (id),
	participation_id bigint NOT NULL UNIQUE REFERENCES participations (id),
	campaign_id      bigint NOT NULL REFERENCES campaigns (id),
	mastery          integer CHECK (mastery BETWEEN 0 AND 100),
	validated        integer NOT NULL,
	targets          integer NOT NULL,
	competences      jsonb NOT NULL,
	topics           jsonb NOT NULL,
	computed_at      timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (organization_id, participation_id)
);
CREATE INDEX participation_results_campaign
	ON participation_results (organization_id, campaign_id);
CREATE INDEX participations_campaign_day
	ON participations (organization_id, campaign_id, created_at);
