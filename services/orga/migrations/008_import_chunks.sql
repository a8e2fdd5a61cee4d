-- 008_import_chunks.sql - the uploaded file of an import lives in rows of
-- at most 1 MiB (one per orga_import_append), compressed with lz4, instead
-- of a large object: about three times faster to write and several times
-- smaller on disk for SIECLE XML. The rows go when the job ends.
CREATE TABLE import_chunks (
	job_id bigint NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
	seq    integer NOT NULL CHECK (seq >= 0),  -- 0, 1, 2... in file order
	data   bytea NOT NULL,
	PRIMARY KEY (job_id, seq)
);
-- EXTENDED (the default): compressed, then moved out of line.
ALTER TABLE import_chunks ALTER COLUMN data SET STORAGE EXTENDED;
ALTER TABLE import_chunks ALTER COLUMN data SET COMPRESSION lz4;

-- Uploads still held in large objects (jobs not ended) move into chunks.
INSERT INTO import_chunks (job_id, seq, data)
SELECT j.id, g.seq, lo_get(j.upload_oid, g.seq * 1048576::bigint, 1048576)
FROM import_jobs j,
	generate_series(0, ((j.upload_bytes - 1) / 1048576)::integer)
		AS g (seq)
WHERE j.upload_oid IS NOT NULL AND j.upload_bytes > 0;
SELECT count(lo_unlink(upload_oid)) FROM import_jobs
WHERE upload_oid IS NOT NULL;
UPDATE import_jobs SET upload_oid = NULL WHERE upload_oid IS NOT NULL;

ALTER TABLE import_jobs DROP COLUMN upload_oid;
