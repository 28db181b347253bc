-- A probe result's response time (HTTP probes with a latency assertion: from sending the request
-- to the response headers), which is then its one shown duration; NULL for every other result,
-- whose shown duration is duration_ms (the probe's own check time), as before.
ALTER TABLE probe_results ADD COLUMN response_time_ms INTEGER;
