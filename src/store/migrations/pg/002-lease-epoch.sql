-- Fencing tokens: each lease carries an epoch that rises by one whenever a different holder takes
-- it. A write made on behalf of a lease names the epoch it holds and is refused once the lease has
-- moved on. Releasing a lease expires its row instead of deleting it, so an epoch never repeats.

ALTER TABLE sb_leases ADD COLUMN epoch bigint NOT NULL DEFAULT 1;
