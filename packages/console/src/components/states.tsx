// Loading, empty and error states, so no view is ever a blank page.
import type { ReactNode } from "react";
import { describeError, ServerError, UnreachableError } from "../api";
import type { IconName } from "./icons";
import { Icon } from "./icons";

export function EmptyState({
  icon = "inbox",
  title,
  children,
  action,
}: {
  icon?: IconName;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="empty">
      <div className="empty__icon">
        <Icon name={icon} size={22} />
      </div>
      <h2>{title}</h2>
      {children && <p className="muted">{children}</p>}
      {action && <div className="empty__action">{action}</div>}
    </div>
  );
}

export function ErrorState({
  error,
  onRetry,
  title,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const unreachable = error instanceof UnreachableError;
  return (
    <EmptyState
      icon={unreachable ? "plug" : "alert"}
      title={title ?? (unreachable ? "Can't reach the Dormouse server" : "Something went wrong")}
      action={
        onRetry && (
          <button type="button" className="btn" onClick={onRetry}>
            <Icon name="refresh" size={14} /> Try again
          </button>
        )
      }
    >
      {unreachable ? "The page will refresh by itself when the server is back." : describeError(error)}
    </EmptyState>
  );
}

/** The server's refusal, shown where the user acted: the AWS error name and its message. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const name = error instanceof ServerError ? error.errorType : undefined;
  return (
    <div className="alert" role="alert">
      <span className="alert__icon">
        <Icon name="alert" size={16} />
      </span>
      <span className="alert__title">
        {title ?? name ?? (error instanceof UnreachableError ? "Server unreachable" : "Error")}
      </span>
      <span className="alert__body">
        {error instanceof ServerError && title && name
          ? `${name}: ${error.message}`
          : error instanceof Error
            ? error.message
            : String(error)}
      </span>
    </div>
  );
}

export function Spinner({ label = "Loading" }: { label?: string }) {
  return <span className="spinner" role="status" aria-label={label} />;
}

export function LoadingRows({ rows = 6 }: { rows?: number }) {
  return (
    <div className="loading-rows" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton" style={{ height: 18, width: `${90 - ((i * 17) % 40)}%` }} />
      ))}
    </div>
  );
}
