-- 011_student_accounts.sql - accounts the school makes for its students
-- (an identifier and a one-time password, issue 13), password recovery by
-- mail, and when each way of logging in was last used (issue 14).

-- An identifier "prenom.nomJJMM" (plus 4 digits when taken): a password
-- login without an e-mail. Never holds "@", so a login names an e-mail or
-- an identifier, never both. must_change_password: the password is a
-- one-time one a school handed out; the next login must replace it.
ALTER TABLE users
	ADD COLUMN login text UNIQUE CHECK (login ~ '^[a-z0-9.]{3,120}$'),
	ADD COLUMN must_change_password boolean NOT NULL DEFAULT false,
	ADD COLUMN last_login_at timestamptz;

-- When the GAR last logged this identity in (the rule that moves a
-- changed GAR identifier onto an account, docs/architecture.md).
ALTER TABLE authentication_methods ADD COLUMN last_used_at timestamptz;
UPDATE authentication_methods SET last_used_at = updated_at;

-- One pending recovery link per account: asking again replaces it. Only
-- the SHA-256 of the link's secret is kept; used or expired, it goes.
CREATE TABLE password_resets (
	user_id    bigint PRIMARY KEY REFERENCES users (id),
	token_hash text NOT NULL UNIQUE CHECK (length(token_hash) = 64),
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL
);

-- What the school's staff do to its students' accounts, in the audit log:
-- the learner's account is the target; a password never is anywhere.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check
	CHECK (action IN ('invited', 'invitation_resent',
	'invitation_cancelled', 'joined', 'role_changed', 'removed', 'left',
	'learner_account_created', 'learner_password_reset',
	'learner_unblocked', 'learner_gar_moved'));
ALTER TABLE audit_log ADD COLUMN learner_id bigint REFERENCES learners (id);
