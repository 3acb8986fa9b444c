// A Draft collects one decision: it overlays changes on the loaded state and records the events,
// timers and callback ids that go with them. `finish()` turns it into the Decision the store commits.
import type { EventType } from "@dormouse/protocol";
import type {
  Decision,
  DueWork,
  DueWorkKey,
  DueWorkKind,
  EventRecord,
  ExecutionRecord,
  ExecutionState,
  OperationRecord,
} from "./model.js";
import type { EngineContext } from "./ports.js";

export class Draft {
  readonly exec: ExecutionRecord;
  private readonly base: ReadonlyMap<string, OperationRecord>;
  private readonly changed = new Map<string, OperationRecord>();
  private readonly events: EventRecord[] = [];
  private readonly schedules = new Map<string, DueWork>();
  private readonly unschedules = new Map<string, DueWorkKey>();
  private unscheduleAll = false;
  private readonly callbacks: { callbackId: string; operationId: string }[] = [];

  constructor(
    state: ExecutionState,
    readonly ctx: EngineContext,
    private readonly created = false,
  ) {
    this.exec = { ...state.execution, dirty: [...state.execution.dirty] };
    this.base = state.operations;
  }

  get now(): number {
    return this.ctx.now;
  }

  op(id: string): OperationRecord | undefined {
    return this.changed.get(id) ?? this.base.get(id);
  }

  /** Records a new version of an operation (callers pass a fresh object, never a mutated original). */
  put(op: OperationRecord): OperationRecord {
    this.changed.set(op.Id, op);
    return op;
  }

  newOperationSeq(): number {
    return this.exec.nextSeq++;
  }

  event(type: EventType, op: OperationRecord | undefined, details: Record<string, unknown>): void {
    const e: EventRecord = { eventId: this.exec.nextEventId++, type, timestamp: this.now, details };
    if (op) {
      e.operationId = op.Id;
      if (op.Name !== undefined) e.name = op.Name;
      if (op.SubType !== undefined) e.subType = op.SubType;
      if (op.ParentId !== undefined) e.parentId = op.ParentId;
    }
    this.events.push(e);
  }

  schedule(work: DueWork): void {
    const k = key(work);
    this.unschedules.delete(k);
    this.schedules.set(k, work);
  }

  unschedule(arn: string, kind: DueWorkKind, operationId = ""): void {
    const w = { arn, kind, operationId };
    const k = key(w);
    this.schedules.delete(k);
    this.unschedules.set(k, w);
  }

  /** Drops every timer of this execution, including ones scheduled earlier in this draft. */
  unscheduleEverything(): void {
    this.unscheduleAll = true;
    for (const [k, w] of this.schedules) if (w.arn === this.exec.arn) this.schedules.delete(k);
    for (const [k, w] of this.unschedules) if (w.arn === this.exec.arn) this.unschedules.delete(k);
  }

  addCallback(callbackId: string, operationId: string): void {
    this.callbacks.push({ callbackId, operationId });
  }

  markDirty(id: string): void {
    if (!this.exec.dirty.includes(id)) this.exec.dirty.push(id);
  }

  changedOperations(): OperationRecord[] {
    return [...this.changed.values()];
  }

  finish(): Decision {
    const d: Decision = {
      execution: { ...this.exec, rev: this.exec.rev + 1 },
      operations: [...this.changed.values()],
      events: this.events,
      schedule: [...this.schedules.values()],
      unschedule: [...this.unschedules.values()],
      callbacks: this.callbacks,
    };
    if (this.created) d.created = true;
    if (this.unscheduleAll) d.unscheduleAll = true;
    return d;
  }
}

const key = (w: DueWorkKey) => `${w.arn}\u0000${w.kind}\u0000${w.operationId}`;
