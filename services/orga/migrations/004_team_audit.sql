-- 004_team_audit.sql - the audit log of a school's team: who invited,
-- re-sent, cancelled, joined, changed a role, removed or left, and when.
-- Rows are written in the transaction of the change they record, and never
-- updated or deleted by the application.

CREATE TABLE audit_log (
	organization_id bigint NOT NULL REFERENCES organizations (id),
	id              bigserial,
	actor_user_id   bigint REFERENCES users (id), -- NULL: an operator (orgactl)
	action          text NOT NULL CHECK (action IN ('invited',
	                'invitation_resent', 'invitation_cancelled', 'joined',
	                'role_changed', 'removed', 'left')),
	target_user_id  bigint REFERENCES users (id), -- the member concerned
	target_email    text,                         -- the address invited (or the member's)
	old_role        text CHECK (old_role IN ('ADMIN', 'MEMBER')),
	new_role        text CHECK (new_role IN ('ADMIN', 'MEMBER')),
	created_at      timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (organization_id, id),
	UNIQUE (id),
	CHECK (target_user_id IS NOT NULL OR target_email IS NOT NULL)
);

-- Joining happens when an invitation is accepted (invitation.c, one
-- transaction): this trigger records it in that same transaction, so every
-- new membership is in the log whatever code path created it. The other
-- actions are written by team.c, which knows who acted.
CREATE FUNCTION audit_log_joined() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO audit_log (organization_id, actor_user_id, action,
	    target_user_id, target_email, new_role)
	SELECT NEW.organization_id, NEW.user_id, 'joined', NEW.user_id,
	    u.email, NEW.role
	FROM users u WHERE u.id = NEW.user_id;
	RETURN NULL;
END;
$$;

CREATE TRIGGER memberships_audit_joined AFTER INSERT ON memberships
	FOR EACH ROW EXECUTE FUNCTION audit_log_joined();
