-- One engine decision in one round trip: the compare-and-set on the execution row and every write
-- that goes with it, in the order the SQLite adapter applies them (sqlite/apply-decision.ts).
-- Returns NULL when applied and 'conflict' when the row is not at `p_rev - 1` (or exists although
-- `p_created`); nothing is written before that check, so a conflict leaves no trace. Any other
-- failure raises, and the caller rolls back.
--
-- Concurrency: under READ COMMITTED the UPDATE waits for a concurrent writer of the same row and
-- then re-checks `rev` against the committed row, so of two nodes racing from one revision exactly
-- one wins; INSERT … ON CONFLICT DO NOTHING does the same for a new arn or (function, name).
-- The arrays are parallel columns (one element per operation, event, due work row or callback);
-- the caller removes duplicate keys, so each upsert touches a row once.
CREATE FUNCTION dormouse_apply_decision(
  p_created          boolean,
  p_purge            boolean,
  p_arn              text,
  p_function_name    text,
  p_name             text,
  p_version          text,
  p_status           text,
  p_started_at       bigint,
  p_ended_at         bigint,
  p_rev              bigint,
  p_has_lease        boolean,
  p_code_id          text,
  p_record           text,
  p_op_ids           text[],
  p_op_seqs          bigint[],
  p_op_records       text[],
  p_event_ids        bigint[],
  p_event_types      text[],
  p_event_records    text[],
  p_unschedule_all   boolean,
  p_unschedule_arns  text[],
  p_unschedule_kinds text[],
  p_unschedule_ops   text[],
  p_schedule_arns    text[],
  p_schedule_kinds   text[],
  p_schedule_ops     text[],
  p_schedule_due     bigint[],
  p_schedule_data    text[],
  p_callback_ids     text[],
  p_callback_ops     text[]
) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  IF p_purge THEN
    -- Children first, so the foreign keys hold at every step.
    DELETE FROM operations WHERE arn = p_arn;
    DELETE FROM events WHERE arn = p_arn;
    DELETE FROM callbacks WHERE arn = p_arn;
    DELETE FROM due_work WHERE arn = p_arn;
    DELETE FROM executions WHERE arn = p_arn;
    RETURN NULL;
  END IF;

  IF p_created THEN
    INSERT INTO executions
      (arn, function_name, name, version, status, started_at, ended_at, rev, has_lease, code_id, record)
    VALUES
      (p_arn, p_function_name, p_name, p_version, p_status, p_started_at, p_ended_at, p_rev, p_has_lease,
       p_code_id, p_record)
    ON CONFLICT DO NOTHING;
  ELSE
    -- function_name, name, version and started_at never change after the insert.
    UPDATE executions
       SET status = p_status, ended_at = p_ended_at, rev = p_rev, has_lease = p_has_lease,
           code_id = p_code_id, record = p_record
     WHERE arn = p_arn AND rev = p_rev - 1;
  END IF;
  IF NOT FOUND THEN
    RETURN 'conflict';
  END IF;

  IF cardinality(p_op_ids) > 0 THEN
    INSERT INTO operations (arn, id, seq, record)
    SELECT p_arn, o.id, o.seq, o.record FROM unnest(p_op_ids, p_op_seqs, p_op_records) AS o (id, seq, record)
    ON CONFLICT (arn, id) DO UPDATE SET seq = excluded.seq, record = excluded.record;
  END IF;
  IF cardinality(p_event_ids) > 0 THEN
    INSERT INTO events (arn, event_id, type, record)
    SELECT p_arn, e.id, e.type, e.record FROM unnest(p_event_ids, p_event_types, p_event_records) AS e (id, type, record);
  END IF;
  IF p_unschedule_all THEN
    DELETE FROM due_work WHERE arn = p_arn;
  END IF;
  IF cardinality(p_unschedule_arns) > 0 THEN
    DELETE FROM due_work d
     USING unnest(p_unschedule_arns, p_unschedule_kinds, p_unschedule_ops) AS u (arn, kind, operation_id)
     WHERE d.arn = u.arn AND d.kind = u.kind AND d.operation_id = u.operation_id;
  END IF;
  IF cardinality(p_schedule_arns) > 0 THEN
    INSERT INTO due_work (arn, kind, operation_id, due_at, data)
    SELECT * FROM unnest(p_schedule_arns, p_schedule_kinds, p_schedule_ops, p_schedule_due, p_schedule_data)
    ON CONFLICT (arn, kind, operation_id) DO UPDATE SET due_at = excluded.due_at, data = excluded.data;
  END IF;
  IF cardinality(p_callback_ids) > 0 THEN
    INSERT INTO callbacks (callback_id, arn, operation_id)
    SELECT c.id, p_arn, c.operation_id FROM unnest(p_callback_ids, p_callback_ops) AS c (id, operation_id);
  END IF;
  RETURN NULL;
END
$$;
