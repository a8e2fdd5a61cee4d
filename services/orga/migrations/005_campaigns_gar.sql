-- 005_campaigns_gar.sql - campaigns and participations, GAR single sign-on
-- (login methods, replay protection) and linking students' accounts to
-- their imported learner record.

-- Ways to log in other than the password of users: the GAR's opaque,
-- stable identifier (IDO) for now; later ENT/ÉduConnect.
CREATE TABLE authentication_methods (
	id          bigserial PRIMARY KEY,
	user_id     bigint NOT NULL REFERENCES users (id),
	kind        text NOT NULL CHECK (kind IN ('GAR')),
	external_id text NOT NULL,
	created_at  timestamptz NOT NULL DEFAULT now(),
	updated_at  timestamptz NOT NULL DEFAULT now(),
	UNIQUE (kind, external_id),
	UNIQUE (user_id, kind)
);

-- Assertion ids already accepted, kept until they expire: a replayed
-- SAML response is refused.
CREATE TABLE saml_assertions (
	assertion_id text PRIMARY KEY,
	expires_at   timestamptz NOT NULL
);
CREATE INDEX saml_assertions_expiry ON saml_assertions (expires_at);

CREATE TABLE campaigns (
	organization_id bigint NOT NULL REFERENCES organizations (id),
	id              bigserial,
	-- 6 upper-case letters without look-alikes, then 3 digits
	code            text NOT NULL UNIQUE CHECK (code ~ '^[A-Z]{6}[0-9]{3}$'),
	name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
	type            text NOT NULL CHECK (type IN ('PROFILES_COLLECTION', 'ASSESSMENT')),
	external_id_label text CHECK (length(external_id_label) <= 255),
	landing_text    text CHECK (length(landing_text) <= 5000),
	owner_id        bigint NOT NULL REFERENCES users (id),
	creator_id      bigint NOT NULL REFERENCES users (id),
	created_at      timestamptz NOT NULL DEFAULT now(),
	updated_at      timestamptz NOT NULL DEFAULT now(),
	archived_at     timestamptz,
	PRIMARY KEY (organization_id, id),
	UNIQUE (id)
);
CREATE INDEX campaigns_list ON campaigns (organization_id, archived_at, created_at);

-- One participation of one account in one campaign, tied to the learner
-- the account is linked to in the campaign's school (SCO).
CREATE TABLE participations (
	organization_id bigint NOT NULL REFERENCES organizations (id),
	id              bigserial,
	campaign_id     bigint NOT NULL REFERENCES campaigns (id),
	user_id         bigint NOT NULL REFERENCES users (id),
	learner_id      bigint REFERENCES learners (id),
	external_id     text CHECK (length(external_id) <= 255),
	status          text NOT NULL DEFAULT 'STARTED'
	                CHECK (status IN ('STARTED', 'TO_SHARE', 'SHARED')),
	created_at      timestamptz NOT NULL DEFAULT now(),
	shared_at       timestamptz,
	PRIMARY KEY (organization_id, id),
	UNIQUE (campaign_id, user_id),
	UNIQUE (id)
);
CREATE INDEX participations_campaign ON participations (campaign_id, status);

-- An account is linked to at most one learner per school.
CREATE UNIQUE INDEX learners_one_per_account
	ON learners (organization_id, user_id) WHERE user_id IS NOT NULL;

-- Linking attempts (birth dates can be guessed: attempts are limited).
CREATE TABLE link_attempts (
	organization_id bigint NOT NULL REFERENCES organizations (id),
	user_id         bigint NOT NULL REFERENCES users (id),
	attempted_at    timestamptz NOT NULL DEFAULT now(),
	succeeded       boolean NOT NULL DEFAULT false
);
CREATE INDEX link_attempts_recent ON link_attempts (organization_id, user_id, attempted_at);
