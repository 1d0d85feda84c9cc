#!/usr/bin/env bash
# The analytics summary against PostgreSQL 15 on the same data
# (docs/BENCHMARKS.md "Analytics"). It runs BenchmarkSummary1M, which also
# writes its 1,000,000 responses as CSV, loads that CSV into a throw-away
# PostgreSQL cluster (its own folder, a Unix socket, no TCP), indexes it and
# times the equivalent SQL: the index of each of the 30 agencies of the group
# for the year and the year before, with the ranks. Everything it starts it
# stops; the folder is removed at the end (KEEP=1 keeps it).
#
#   scripts/bench-postgres.sh                 # 1,000,000 responses
#   HAILONG_BENCH_N=100000 scripts/bench-postgres.sh
set -euo pipefail
cd "$(dirname "$0")/.."

N=${HAILONG_BENCH_N:-1000000}
RUNS=${RUNS:-30}
PGBIN=/usr/lib/postgresql/15/bin
PORT=54329

if [ ! -x "$PGBIN/postgres" ]; then
	[ "$(id -u)" = 0 ] || { echo "PostgreSQL 15 is not installed: run as root, or apt-get install postgresql-15" >&2; exit 1; }
	apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15
fi

WORK=$(mktemp -d /tmp/hailong-pg.XXXXXX)
chmod 755 "$WORK"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
	[ -f "$WORK/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -m fast -w stop >/dev/null || true
	[ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT

echo "== hailong: BenchmarkSummary1M over $N responses (also writes the CSV)"
HAILONG_BENCH_N=$N HAILONG_BENCH_CSV="$WORK/responses.csv" \
	go test ./analytics -run '^$' -bench Summary1M -benchtime 1x -count 1 -v | grep -E 'Benchmark|ok|index of'
[ "$(id -u)" = 0 ] && chown -R postgres "$WORK"

echo "== PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'): load and index"
as_pg "$PGBIN/initdb" -D "$WORK/data" -A trust -U bench --no-sync -E UTF8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/pg.log" -w start \
	-o "-k $WORK -p $PORT -c listen_addresses='' -c shared_buffers=512MB -c work_mem=64MB -c fsync=off -c max_parallel_workers_per_gather=2 -c timezone=Asia/Ho_Chi_Minh" >/dev/null
PSQL=("$PGBIN/psql" -h "$WORK" -p "$PORT" -U bench -d postgres -v ON_ERROR_STOP=1 -q)

"${PSQL[@]}" <<SQL
\timing on
CREATE TABLE units (id text PRIMARY KEY, grp text);
INSERT INTO units SELECT format('so-%s', lpad(i::text, 2, '0')), 'khoi-so' FROM generate_series(0, 29) i;
CREATE TABLE responses (
	submitted_at timestamptz NOT NULL, unit text NOT NULL, channel text NOT NULL, survey text NOT NULL,
	overall smallint, access smallint, facilities smallint, staff_attitude smallint,
	staff_guidance smallint, timeliness smallint, website smallint);
\copy responses FROM '$WORK/responses.csv' WITH (FORMAT csv)
CREATE INDEX ON responses (unit, submitted_at);
CREATE INDEX ON responses (submitted_at);
VACUUM ANALYZE responses;
SELECT count(*) AS responses, pg_size_pretty(pg_total_relation_size('responses')) AS size FROM responses;
SQL

# The summary's SQL: per agency and year, the valid and satisfied (4–5)
# answers and the score sums of each criterion and the responses with a
# valid answer; then criterion shares, element means, the index (mean of
# the elements) and the rank among the agencies with at least 30.
cat >"$WORK/summary.sql" <<'SQL'
WITH c AS (
	SELECT r.unit, r.submitted_at >= '2025-11-01 00:00+07' AS cur,
		count(*) FILTER (WHERE greatest(r.overall, r.access, r.facilities, r.staff_attitude, r.staff_guidance, r.timeliness, r.website) > 0) AS n,
		count(*) FILTER (WHERE r.overall > 0) AS overall_n, count(*) FILTER (WHERE r.overall >= 4) AS overall_p, sum(r.overall) AS overall_s,
		count(*) FILTER (WHERE r.access > 0) AS access_n, count(*) FILTER (WHERE r.access >= 4) AS access_p, sum(r.access) AS access_s,
		count(*) FILTER (WHERE r.facilities > 0) AS facilities_n, count(*) FILTER (WHERE r.facilities >= 4) AS facilities_p, sum(r.facilities) AS facilities_s,
		count(*) FILTER (WHERE r.staff_attitude > 0) AS attitude_n, count(*) FILTER (WHERE r.staff_attitude >= 4) AS attitude_p, sum(r.staff_attitude) AS attitude_s,
		count(*) FILTER (WHERE r.staff_guidance > 0) AS guidance_n, count(*) FILTER (WHERE r.staff_guidance >= 4) AS guidance_p, sum(r.staff_guidance) AS guidance_s,
		count(*) FILTER (WHERE r.timeliness > 0) AS timeliness_n, count(*) FILTER (WHERE r.timeliness >= 4) AS timeliness_p, sum(r.timeliness) AS timeliness_s,
		count(*) FILTER (WHERE r.website > 0) AS website_n, count(*) FILTER (WHERE r.website >= 4) AS website_p, sum(r.website) AS website_s
	FROM responses r JOIN units u ON u.id = r.unit
	WHERE u.grp = 'khoi-so' AND r.submitted_at >= '2024-11-01 00:00+07' AND r.submitted_at < '2026-11-01 00:00+07'
	GROUP BY 1, 2
), s AS (
	SELECT unit, cur, n,
		100.0 * access_p / nullif(access_n, 0) AS access, 100.0 * facilities_p / nullif(facilities_n, 0) AS facilities,
		100.0 * attitude_p / nullif(attitude_n, 0) AS attitude, 100.0 * guidance_p / nullif(guidance_n, 0) AS guidance,
		100.0 * timeliness_p / nullif(timeliness_n, 0) AS timeliness, 100.0 * website_p / nullif(website_n, 0) AS website
	FROM c
), i AS (
	SELECT unit, cur, n, (SELECT avg(x) FROM unnest(ARRAY[
		(SELECT avg(y) FROM unnest(ARRAY[access, facilities]) y),
		(SELECT avg(y) FROM unnest(ARRAY[attitude, guidance]) y),
		timeliness, website]) x) AS idx
	FROM s
)
SELECT unit, cur, n, round(idx, 2) AS idx,
	CASE WHEN n >= 30 THEN rank() OVER (PARTITION BY cur, n >= 30 ORDER BY round(idx, 2) DESC) END AS rank
FROM i ORDER BY cur DESC, rank;
SQL

# SPEC's reference query: one agency, one year, one row per criterion.
cat >"$WORK/one_unit.sql" <<'SQL'
SELECT k, count(*) FILTER (WHERE v > 0) AS n, count(*) FILTER (WHERE v >= 4) AS satisfied
FROM responses r, LATERAL (VALUES ('overall', r.overall), ('access', r.access), ('facilities', r.facilities),
	('staff_attitude', r.staff_attitude), ('staff_guidance', r.staff_guidance), ('timeliness', r.timeliness), ('website', r.website)) AS a(k, v)
WHERE r.unit = 'so-03' AND r.submitted_at >= '2025-11-01 00:00+07' AND r.submitted_at < '2026-11-01 00:00+07'
GROUP BY k;
SQL

echo "== the summary's result (ranks of the year, then the year before)"
"${PSQL[@]}" -f "$WORK/summary.sql" | head -8

for q in summary one_unit; do
	as_pg "$PGBIN/pgbench" -h "$WORK" -p "$PORT" -U bench -n -t "$RUNS" -f "$WORK/$q.sql" -l --log-prefix="$WORK/log_$q" postgres >/dev/null 2>&1
	# pgbench's log: client, transaction, latency in µs, …
	cat "$WORK/log_$q".* | awk '{print $3}' | sort -n | awk -v q="$q" -v runs="$RUNS" '
		{ a[NR] = $1 }
		END { printf "== PostgreSQL %s: %d runs, p50 %.1f ms, p99 %.1f ms\n", q, NR, a[int((NR - 1) * 0.5) + 1] / 1000, a[int((NR - 1) * 0.99) + 1] / 1000 }'
done
