-- 001_skeleton.sql - accounts, schools, memberships, invitations, terms of
-- use, sessions and the mail outbox. Applied once by orga at start; a later
-- change is a new file, never an edit of this one.

CREATE TABLE users (
	id            bigserial PRIMARY KEY,
	first_name    text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 255),
	last_name     text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 255),
	email         text UNIQUE,          -- lower-cased; NULL for students without e-mail
	password_hash text,                 -- argon2id string; NULL without a password login
	failed_logins integer NOT NULL DEFAULT 0,
	blocked_until timestamptz,
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now(),
	CHECK (email IS NULL OR email = lower(email))
);

CREATE TABLE organizations (
	id         bigserial PRIMARY KEY,
	uai        text NOT NULL UNIQUE CHECK (uai ~ '^[0-9]{7}[A-Z]$'),
	name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
	type       text NOT NULL DEFAULT 'SCO' CHECK (type IN ('SCO', 'PRO', 'SUP')),
	email      text,                    -- the school's institutional mailbox
	created_at timestamptz NOT NULL DEFAULT now()
);

-- Keyed by organization first, like every school-owned table (see
-- docs/architecture.md, "Growth").
CREATE TABLE memberships (
	organization_id bigint NOT NULL REFERENCES organizations (id),
	user_id         bigint NOT NULL REFERENCES users (id),
	role            text NOT NULL CHECK (role IN ('ADMIN', 'MEMBER')),
	created_at      timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE invitations (
	organization_id bigint NOT NULL REFERENCES organizations (id),
	id              bigserial,
	email           text NOT NULL CHECK (email = lower(email)),
	role            text NOT NULL CHECK (role IN ('ADMIN', 'MEMBER')),
	-- The school's activation invitation may be accepted by any account
	-- (it goes to the institutional mailbox); others only by the address.
	kind            text NOT NULL DEFAULT 'MEMBER' CHECK (kind IN ('ACTIVATION', 'MEMBER')),
	code_hash       text NOT NULL,      -- SHA-256 hex of the code in the link
	status          text NOT NULL DEFAULT 'pending'
	                CHECK (status IN ('pending', 'accepted', 'cancelled')),
	invited_by      bigint REFERENCES users (id),
	accepted_by     bigint REFERENCES users (id),
	created_at      timestamptz NOT NULL DEFAULT now(),
	updated_at      timestamptz NOT NULL DEFAULT now(), -- last sent
	PRIMARY KEY (organization_id, id),
	UNIQUE (id)
);
-- One pending invitation per (school, e-mail).
CREATE UNIQUE INDEX invitations_one_pending
	ON invitations (organization_id, email) WHERE status = 'pending';

CREATE TABLE terms (
	version      serial PRIMARY KEY,
	body         text NOT NULL,
	published_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE terms_acceptances (
	user_id     bigint NOT NULL REFERENCES users (id),
	version     integer NOT NULL REFERENCES terms (version),
	accepted_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, version)
);

CREATE TABLE sessions (
	token_hash text PRIMARY KEY,        -- SHA-256 hex of the cookie value
	csrf_token text NOT NULL,           -- echoed by the page in X-CSRF-Token
	user_id    bigint NOT NULL REFERENCES users (id),
	created_at timestamptz NOT NULL DEFAULT now(),
	last_seen  timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Mail to deliver, written in the same transaction as what caused it. The
-- mailer renders the template from params, sends, and then forgets the
-- params (they may hold a link with a secret code).
CREATE TABLE outbox (
	id              bigserial PRIMARY KEY,
	template        text NOT NULL,      -- 'invitation'
	recipient       text NOT NULL,
	params          jsonb,
	status          text NOT NULL DEFAULT 'pending'
	                CHECK (status IN ('pending', 'sent', 'failed')),
	attempts        integer NOT NULL DEFAULT 0,
	next_attempt_at timestamptz NOT NULL DEFAULT now(),
	last_error      text,
	created_at      timestamptz NOT NULL DEFAULT now(),
	sent_at         timestamptz
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';

-- Daemons announce themselves at start (RegisterRequest).
CREATE TABLE service_instances (
	service    text NOT NULL,
	url        text NOT NULL,
	pid        integer NOT NULL,
	started_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (service, url)
);
