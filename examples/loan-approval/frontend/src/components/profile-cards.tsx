import { dollars, initials, lastFour } from "../format";
import type { Profile } from "../profiles";
import { PROFILES } from "../profiles";

export function ProfileCards({
  selected,
  onPick,
}: {
  selected: string | null;
  onPick: (p: Profile) => void;
}) {
  return (
    <ul className="profiles" aria-label="Demo profiles">
      {PROFILES.map((p) => (
        <li key={p.name}>
          <button
            type="button"
            className={`profile tone-${p.tone}${selected === p.name ? " selected" : ""}`}
            onClick={() => onPick(p)}
            aria-pressed={selected === p.name}
            aria-label={`Use ${p.name}'s profile`}
          >
            <span className="avatar">{initials(p.name)}</span>
            <span className="profile-body">
              <span className="profile-name">{p.name}</span>
              <span className="profile-meta">
                SIN ending {lastFour(p.sin)} · {dollars(p.amount)}
              </span>
              <span className="profile-expect">
                <b>{p.credit}.</b> {p.expect}
              </span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
