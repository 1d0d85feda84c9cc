-- Hài Lòng on PostgreSQL: the first schema. Entities whose fields the
-- store only reads back whole are kept as JSON documents (the same JSON as
-- the bbolt buckets) beside the columns that queries filter on; responses,
-- counts and the log are columns. See docs/ARCHITECTURE.md "Tables".

CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);

CREATE TABLE groups (id text PRIMARY KEY, doc jsonb NOT NULL);
CREATE TABLE units (id text PRIMARY KEY, parent text NOT NULL DEFAULT '', doc jsonb NOT NULL);
CREATE TABLE counters (id text PRIMARY KEY, unit text NOT NULL, doc jsonb NOT NULL);
CREATE TABLE staff (id text PRIMARY KEY, unit text NOT NULL, doc jsonb NOT NULL);
CREATE TABLE photos (staff text PRIMARY KEY, hash text NOT NULL, ctype text NOT NULL, img bytea NOT NULL);
CREATE TABLE kiosks (id text PRIMARY KEY, doc jsonb NOT NULL);
-- kiosk pairing codes and device keys, by SHA-256 of the secret
CREATE TABLE secrets (hash bytea PRIMARY KEY, kind text NOT NULL, id text NOT NULL);
CREATE TABLE surveys (key text NOT NULL, version int NOT NULL, doc jsonb NOT NULL, PRIMARY KEY (key, version));
CREATE TABLE procedures (code text PRIMARY KEY, name text NOT NULL);

-- key: the submitted time in ns, made unique (as the bbolt key)
CREATE TABLE responses (
	key bigint PRIMARY KEY,
	id uuid UNIQUE,
	survey text NOT NULL,
	version int NOT NULL,
	channel smallint NOT NULL,
	unit text NOT NULL,
	counter text NOT NULL DEFAULT '',
	staff text NOT NULL DEFAULT '',
	procedure text NOT NULL DEFAULT '',
	kiosk text NOT NULL DEFAULT '',
	dossier text NOT NULL DEFAULT '',
	answers jsonb NOT NULL,
	facts jsonb,
	reasons text[],
	comment text NOT NULL DEFAULT '',
	received_ns bigint NOT NULL,
	flags smallint NOT NULL,
	batch bigint,
	seq bigint NOT NULL DEFAULT 0,
	submitted_at timestamptz GENERATED ALWAYS AS (to_timestamp(key / 1e9)) STORED
);
CREATE INDEX responses_batch ON responses (batch) WHERE batch IS NOT NULL;

-- pre-aggregated counts: one row per cell (unit, period, dimension, member,
-- survey, criterion, channel, flag class, scale), histograms n0..n5.
-- period: days since 1970-01-01 in the zone, or -(year*12 + month) for a month.
CREATE TABLE counts (
	unit text NOT NULL, period int NOT NULL, dim smallint NOT NULL, sub text NOT NULL,
	survey text NOT NULL, crit text NOT NULL, channel smallint NOT NULL, flags smallint NOT NULL, scale smallint NOT NULL,
	n0 bigint NOT NULL DEFAULT 0, n1 bigint NOT NULL DEFAULT 0, n2 bigint NOT NULL DEFAULT 0,
	n3 bigint NOT NULL DEFAULT 0, n4 bigint NOT NULL DEFAULT 0, n5 bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (dim, unit, period, sub, survey, crit, channel, flags, scale)
);

-- misuse detection across servers: last receive (device) and submit (kiosk) times, ns
CREATE TABLE misuse_last (kind char(1) NOT NULL, id text NOT NULL, at_ns bigint NOT NULL, PRIMARY KEY (kind, id));

CREATE TABLE dossiers (code text PRIMARY KEY, unit text NOT NULL, received_at timestamptz NOT NULL, doc jsonb NOT NULL);
CREATE INDEX dossiers_unit_received ON dossiers (unit, received_at);
CREATE TABLE receipts (hash bytea PRIMARY KEY, code text NOT NULL);

CREATE TABLE users (username text PRIMARY KEY, doc jsonb NOT NULL);
CREATE TABLE tokens (hash bytea PRIMARY KEY, id text UNIQUE NOT NULL, doc jsonb NOT NULL);
CREATE TABLE sessions (hash bytea PRIMARY KEY, username text NOT NULL, doc jsonb NOT NULL);
CREATE INDEX sessions_user ON sessions (username);
CREATE TABLE audit (at timestamptz PRIMARY KEY, doc jsonb NOT NULL);
CREATE TABLE actions (id text PRIMARY KEY, doc jsonb NOT NULL);
CREATE SEQUENCE action_seq;
CREATE TABLE proposals (id text PRIMARY KEY, state text NOT NULL, doc jsonb NOT NULL);
CREATE SEQUENCE proposal_seq;
CREATE TABLE imports (id bigint PRIMARY KEY, doc jsonb NOT NULL);
CREATE SEQUENCE import_seq;

-- the tamper-evident log (docs/INTEGRITY.md): one row per entry
CREATE TABLE log (
	seq bigint PRIMARY KEY,
	change_kind text NOT NULL DEFAULT '', -- '' for a response entry
	key bigint NOT NULL DEFAULT 0,        -- response entries: the response
	flags smallint NOT NULL DEFAULT 0,    -- response entries: flags when appended
	entry_hash bytea NOT NULL,
	comment_hash bytea,                   -- response entries with a comment
	canon bytea                           -- change entries: canonical bytes
);
CREATE INDEX log_key ON log (key) WHERE change_kind = '';
CREATE TABLE log_tip (one boolean PRIMARY KEY DEFAULT true CHECK (one), seq bigint NOT NULL, hash bytea NOT NULL, day int NOT NULL);
INSERT INTO log_tip VALUES (true, 0, '\x0000000000000000000000000000000000000000000000000000000000000000', -2147483648);
CREATE TABLE heads (day int PRIMARY KEY, entries bigint NOT NULL, hash bytea NOT NULL);
