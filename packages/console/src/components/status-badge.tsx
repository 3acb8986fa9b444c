// Status as color and words (never color alone).
import type { ExecutionStatus, OperationStatus } from "@dormouse/protocol";

type AnyStatus = ExecutionStatus | OperationStatus;

const TONES: Record<AnyStatus, string> = {
  RUNNING: "blue",
  STARTED: "blue",
  PENDING: "amber",
  READY: "violet",
  SUCCEEDED: "green",
  FAILED: "red",
  TIMED_OUT: "orange",
  CANCELLED: "gray",
  STOPPED: "gray",
};

const LABELS: Record<AnyStatus, string> = {
  RUNNING: "Running",
  STARTED: "Started",
  PENDING: "Pending",
  READY: "Ready",
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  TIMED_OUT: "Timed out",
  CANCELLED: "Cancelled",
  STOPPED: "Stopped",
};

export function statusTone(status: AnyStatus): string {
  return TONES[status] ?? "gray";
}

export function statusLabel(status: AnyStatus): string {
  return LABELS[status] ?? status;
}

export function StatusBadge({ status, small = false }: { status: AnyStatus; small?: boolean }) {
  const live = status === "RUNNING" || status === "STARTED";
  return (
    <span
      className={`badge tone-${statusTone(status)}${small ? " badge--sm" : ""}${live ? " is-live" : ""}`}
      data-status={status}
    >
      {statusLabel(status)}
    </span>
  );
}
