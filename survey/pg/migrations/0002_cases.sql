-- Issue 16: citizens' cases (PAKN) and their contacts, the working-day
-- calendar's holidays, webhooks and the outbox of deliveries.

CREATE TABLE cases (id text PRIMARY KEY, response text UNIQUE, doc jsonb NOT NULL);
-- stored apart from the case and purged after closing
CREATE TABLE contacts (id text PRIMARY KEY, doc jsonb NOT NULL);
CREATE TABLE holidays (day text PRIMARY KEY, doc jsonb NOT NULL);
CREATE TABLE webhooks (id text PRIMARY KEY, doc jsonb NOT NULL);
CREATE TABLE outbox (id text PRIMARY KEY, state text NOT NULL, next_at timestamptz NOT NULL, doc jsonb NOT NULL);
CREATE INDEX outbox_due ON outbox (next_at) WHERE state = 'pending';
