import type { ApplicationView } from "../api";

const BUREAUS = [
  { id: "equifax", name: "Equifax" },
  { id: "transunion", name: "TransUnion" },
  { id: "experian", name: "Experian" },
];

function band(score: number): string {
  return score >= 720 ? "good" : score >= 600 ? "fair" : "poor";
}

/** The three parallel credit checks, filled in as each branch reports. */
export function Bureaus({ view }: { view: ApplicationView }) {
  const scores = new Map<string, number>();
  for (const l of view.logs) {
    if (typeof l.entry.bureau === "string" && typeof l.entry.score === "number") {
      scores.set(l.entry.bureau, l.entry.score);
    }
  }
  const stage = view.stages.find((s) => s.key === "credit-checks")?.state ?? "pending";
  if (stage === "skipped") return null;
  const average = view.logs.map((l) => l.entry.creditScore).find((s) => typeof s === "number") as
    number | undefined;
  return (
    <div className="bureaus" aria-label="Credit bureaus">
      {BUREAUS.map((b) => {
        const score = scores.get(b.id);
        return (
          <div key={b.id} className={`bureau${score === undefined ? " loading" : ` band-${band(score)}`}`}>
            <span className="bureau-name">{b.name}</span>
            <span className="bureau-score">{score ?? (stage === "active" ? "…" : "—")}</span>
          </div>
        );
      })}
      <div className={`bureau average${average === undefined ? " loading" : ` band-${band(average)}`}`}>
        <span className="bureau-name">Average</span>
        <span className="bureau-score">{average ?? "—"}</span>
      </div>
    </div>
  );
}
