-- 006_gar.sql - GAR logins started by Orga (SP-initiated): the
-- AuthnRequest ids we sent, with where to go afterwards, until answered or
-- expired. A response naming a request we do not hold is refused;
-- responses naming none (started by the GAR) go through 005's checks.
CREATE TABLE saml_requests (
	request_id text PRIMARY KEY CHECK (length(request_id) <= 256),
	return_to  text NOT NULL CHECK (length(return_to) <= 2048),
	expires_at timestamptz NOT NULL
);
CREATE INDEX saml_requests_expiry ON saml_requests (expires_at);
