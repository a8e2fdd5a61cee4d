-- 010_throttle.sql - one limit for everything a client may repeat
-- (logins, sign-ups, recovery, linking, mails a user can trigger): token
-- buckets kept in PostgreSQL, so a limit holds across restarts and across
-- several orga daemons, and nobody resets it by reconnecting.

-- A bucket per (scope, key): the key is a SHA-256 (hex) of what is
-- counted (a client address, a normalised e-mail, a learner id), never
-- the value itself. A missing row is a full bucket.
CREATE TABLE throttle_buckets (
	scope      text NOT NULL CHECK (length(scope) BETWEEN 1 AND 40),
	key_hash   text NOT NULL CHECK (length(key_hash) = 64),
	tokens     float8 NOT NULL,
	updated_at timestamptz NOT NULL,
	PRIMARY KEY (scope, key_hash)
);
CREATE INDEX throttle_buckets_age ON throttle_buckets (updated_at);

-- throttle_take spends one token of the bucket if it holds one (burst at
-- most, refilled by rate a second since its last use). allowed says
-- whether it did; retry_after is the seconds until a token is there again
-- (0 when allowed). The row is locked for the update, so concurrent takes
-- of one bucket are counted one after the other.
CREATE FUNCTION throttle_take(p_scope text, p_key text, p_burst float8,
    p_rate float8, OUT allowed boolean, OUT retry_after float8)
LANGUAGE plpgsql AS $$
DECLARE
	t float8;
BEGIN
	INSERT INTO throttle_buckets (scope, key_hash, tokens, updated_at)
	VALUES (p_scope, p_key, p_burst, clock_timestamp())
	ON CONFLICT DO NOTHING;
	SELECT least(p_burst, tokens + p_rate *
	    extract(epoch FROM clock_timestamp() - updated_at))
	INTO t FROM throttle_buckets
	WHERE scope = p_scope AND key_hash = p_key FOR UPDATE;
	allowed := t >= 1;
	IF allowed THEN
		t := t - 1;
	END IF;
	UPDATE throttle_buckets SET tokens = t, updated_at = clock_timestamp()
	WHERE scope = p_scope AND key_hash = p_key;
	retry_after := CASE WHEN allowed THEN 0 ELSE (1 - t) / p_rate END;
END
$$;
