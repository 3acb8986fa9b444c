// Details of the selected row: beside the list on wide screens, as a sheet on narrow ones.
import type { ReactNode } from "react";
import { useMediaQuery } from "../hooks";
import { Dialog } from "./dialog";
import { Icon } from "./icons";

export const WIDE_QUERY = "(min-width: 1100px)";

export function SplitView({
  main,
  panel,
  title,
  onClose,
}: {
  main: ReactNode;
  /** The selected row's details, or null when nothing is selected. */
  panel: ReactNode | null;
  title: ReactNode;
  onClose: () => void;
}) {
  const wide = useMediaQuery(WIDE_QUERY);
  if (!wide) {
    return (
      <>
        {main}
        {panel && (
          <Dialog title={title} onClose={onClose} wide>
            {panel}
          </Dialog>
        )}
      </>
    );
  }
  if (!panel) return <>{main}</>;
  return (
    <div className="split">
      <div className="split__main">{main}</div>
      <aside className="split__panel card" aria-label="Details">
        <div className="panel-head">
          <h2 className="truncate">{title}</h2>
          <button
            type="button"
            className="btn btn--ghost btn--icon btn--sm"
            aria-label="Close details"
            onClick={onClose}
          >
            <Icon name="x" size={15} />
          </button>
        </div>
        <div className="panel-body">{panel}</div>
      </aside>
    </div>
  );
}
