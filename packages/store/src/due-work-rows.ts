// A due work row as both adapters read it back (the same columns in both dialects).
import type { DueWork, DueWorkKind } from "@dormouse/engine";

export interface DueWorkRow {
  arn: string;
  kind: string;
  operation_id: string;
  due_at: number;
  data: string | null;
}

export function dueWorkFromRow(row: DueWorkRow): DueWork {
  const work: DueWork = {
    arn: row.arn,
    kind: row.kind as DueWorkKind,
    operationId: row.operation_id,
    dueAt: row.due_at,
  };
  if (row.data !== null) work.data = JSON.parse(row.data) as Record<string, unknown>;
  return work;
}
