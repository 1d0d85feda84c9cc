-- Counts as packed blocks (survey/countblock, bbolt's encoding): one row per
-- unit, period and dimension instead of one per cell. A block's cells name
-- members, surveys and criteria by the ids of count_names (0 = none). The
-- Go step of this migration converts the cell rows of the counts table into
-- blocks, then drops it, in this migration's transaction.

CREATE SEQUENCE count_name_seq;
CREATE TABLE count_names (id int PRIMARY KEY DEFAULT nextval('count_name_seq'), name text NOT NULL UNIQUE);
CREATE TABLE count_blocks (
	dim smallint NOT NULL, unit text NOT NULL, period int NOT NULL, block bytea NOT NULL,
	PRIMARY KEY (dim, unit, period)
);
