-- Several nodes on one database (docs/decisions/0004-cluster.md); the same tables and columns as
-- migrations/sqlite/0004_cluster.sql. Upgrade every node of a cluster together: a node of an older
-- version writes leases without their node, which the others would take for a dead node's.

-- The node holding the invocation lease (the record's `invocation.node`): when that node stops
-- heartbeating, another one ends the lease and invokes the execution again.
ALTER TABLE executions ADD COLUMN lease_node TEXT COLLATE "C";

-- The node handling a due row now; NULL when nobody is. A claim lasts while its node is alive, and
-- scheduling a row again frees it.
ALTER TABLE due_work ADD COLUMN claimed_by TEXT COLLATE "C";

CREATE INDEX due_work_by_claim ON due_work (claimed_by) WHERE claimed_by IS NOT NULL;

CREATE TABLE nodes (
  node_id      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  started_at   BIGINT NOT NULL,
  heartbeat_at BIGINT NOT NULL,
  url          TEXT   NOT NULL
);

-- dormouse_apply_decision gains the lease's node and the commit's claim (`p_claim_node` claims the
-- rows it schedules due by `p_claim_due_by`; without it, a row scheduled again is unclaimed).
DROP FUNCTION dormouse_apply_decision(
  boolean, boolean, text, text, text, text, text, bigint, bigint, bigint, boolean, text, text,
  text[], bigint[], text[], bigint[], text[], text[], boolean, text[], text[], text[],
  text[], text[], text[], bigint[], text[], text[], text[]
);

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
  p_callback_ops     text[],
  p_lease_node       text,
  p_claim_node       text,
  p_claim_due_by     bigint
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
      (arn, function_name, name, version, status, started_at, ended_at, rev, has_lease, lease_node, code_id,
       record)
    VALUES
      (p_arn, p_function_name, p_name, p_version, p_status, p_started_at, p_ended_at, p_rev, p_has_lease,
       p_lease_node, p_code_id, p_record)
    ON CONFLICT DO NOTHING;
  ELSE
    -- function_name, name, version and started_at never change after the insert.
    UPDATE executions
       SET status = p_status, ended_at = p_ended_at, rev = p_rev, has_lease = p_has_lease,
           lease_node = p_lease_node, code_id = p_code_id, record = p_record
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
    INSERT INTO due_work (arn, kind, operation_id, due_at, data, claimed_by)
    SELECT s.arn, s.kind, s.operation_id, s.due_at, s.data,
           CASE WHEN s.due_at <= p_claim_due_by THEN p_claim_node END
      FROM unnest(p_schedule_arns, p_schedule_kinds, p_schedule_ops, p_schedule_due, p_schedule_data)
           AS s (arn, kind, operation_id, due_at, data)
    ON CONFLICT (arn, kind, operation_id) DO UPDATE
      SET due_at = excluded.due_at, data = excluded.data, claimed_by = excluded.claimed_by;
  END IF;
  IF cardinality(p_callback_ids) > 0 THEN
    INSERT INTO callbacks (callback_id, arn, operation_id)
    SELECT c.id, p_arn, c.operation_id FROM unnest(p_callback_ids, p_callback_ops) AS c (id, operation_id);
  END IF;
  RETURN NULL;
END
$$;
