// Shown while the server does not answer; goes away by itself when it does.
import { formatRelative } from "../format";
import { useConnection, useNow } from "../hooks";
import { Icon } from "./icons";

export function ConnectionBanner() {
  const connection = useConnection();
  const now = useNow(1000, connection.state === "offline");
  if (connection.state !== "offline") return null;
  return (
    <div className="banner" role="alert">
      <Icon name="plug" size={16} />
      <span>
        <strong>Can't reach the Dormouse server.</strong>{" "}
        <span className="banner__detail">
          Is <code>dormouse dev</code> still running? Reconnecting automatically
          {connection.lastContact ? ` · last contact ${formatRelative(connection.lastContact, now)}` : ""}.
        </span>
      </span>
      <button type="button" className="btn btn--sm" onClick={connection.retryNow}>
        Retry now
      </button>
    </div>
  );
}

export function LiveIndicator() {
  const { state } = useConnection();
  const label = state === "online" ? "Live" : state === "offline" ? "Offline" : "Connecting";
  return (
    <span
      className={`live live--${state}`}
      title={state === "online" ? "Receiving updates as they happen" : label}
    >
      <span className="live__dot" aria-hidden="true" />
      {label}
    </span>
  );
}
