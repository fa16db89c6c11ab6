-- Cross-instance signals. Every Banana process LISTENs on the channel `banana_events`
-- (crates/banana-db/src/notify.rs): 'jobs' wakes idle labeling workers as soon as a job is
-- queued anywhere; 'index' makes every instance's search index catch up at once when vectors
-- change (an image labeled, edited or deleted). Notifications are sent when the transaction
-- commits, and PostgreSQL folds identical ones within a transaction into one. The periodic
-- catch-up stays as the safety net for a dropped listener connection.
-- The trigger's argument is the payload.
CREATE OR REPLACE FUNCTION banana_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('banana_events', TG_ARGV[0]);
    RETURN NULL;
END
$$;

CREATE TRIGGER jobs_notify AFTER INSERT ON jobs
    FOR EACH STATEMENT EXECUTE FUNCTION banana_notify('jobs');

CREATE TRIGGER image_vectors_notify AFTER INSERT OR UPDATE OR DELETE ON image_vectors
    FOR EACH STATEMENT EXECUTE FUNCTION banana_notify('index');
