// Cycles system → light → dark.
import type { ThemeChoice } from "../theme";
import { setTheme, useTheme } from "../theme";
import { Icon } from "./icons";

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: "light", light: "dark", dark: "system" };
const ICON = { system: "monitor", light: "sun", dark: "moon" } as const;

export function ThemeToggle() {
  const theme = useTheme();
  return (
    <button
      type="button"
      className="btn btn--ghost btn--icon"
      onClick={() => setTheme(NEXT[theme])}
      aria-label={`Theme: ${theme}. Switch to ${NEXT[theme]}`}
      title={`Theme: ${theme}`}
    >
      <Icon name={ICON[theme]} size={16} />
    </button>
  );
}
