// The shell: top bar, connection banner, and the view for the current URL.
import type { ReactNode } from "react";
import { ConnectionBanner, LiveIndicator } from "./components/connection-banner";
import { Icon, Logo } from "./components/icons";
import { EmptyState } from "./components/states";
import { ThemeToggle } from "./components/theme-toggle";
import { Link, useLocation } from "./router";
import { StartProvider, useStartExecution } from "./start-context";
import { ExecutionView } from "./views/execution-view";
import { ExecutionsView } from "./views/executions-view";
import { FunctionsView } from "./views/functions-view";
import { OverviewView } from "./views/overview-view";

export function App() {
  return (
    <StartProvider>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <TopBar />
      <ConnectionBanner />
      <main id="main" className="page" tabIndex={-1}>
        <Routes />
      </main>
    </StartProvider>
  );
}

function Routes(): ReactNode {
  const { pathname } = useLocation();
  if (pathname === "/" || pathname === "") return <OverviewView />;
  if (pathname === "/functions" || pathname === "/functions/") return <FunctionsView />;
  if (pathname === "/executions" || pathname === "/executions/") return <ExecutionsView />;
  const m = /^\/executions\/(.+)$/.exec(pathname);
  if (m) {
    let arn: string | undefined;
    try {
      arn = decodeURIComponent(m[1]!);
    } catch {
      arn = undefined;
    }
    if (arn) return <ExecutionView key={arn} arn={arn} />;
  }
  return (
    <EmptyState
      icon="alert"
      title="Page not found"
      action={
        <Link className="btn" to="/executions">
          Go to executions
        </Link>
      }
    >
      Nothing lives at <code>{pathname}</code>.
    </EmptyState>
  );
}

const NAV = [
  { to: "/", label: "Overview", icon: "home" },
  { to: "/functions", label: "Functions", icon: "layers" },
  { to: "/executions", label: "Executions", icon: "list" },
] as const;

function TopBar() {
  const { pathname } = useLocation();
  const start = useStartExecution();
  return (
    <header className="topbar">
      <div className="topbar__inner">
        <Link to="/" className="brand" aria-label="Dormouse home">
          <Logo />
          <span>Dormouse</span>
        </Link>
        <nav className="nav" aria-label="Main">
          {NAV.map((item) => {
            const active = item.to === "/" ? pathname === "/" : pathname.startsWith(item.to);
            return (
              <Link
                key={item.to}
                to={item.to}
                className="nav__link"
                aria-current={active ? "page" : undefined}
              >
                <Icon name={item.icon} size={15} />
                {item.label}
              </Link>
            );
          })}
        </nav>
        <div className="topbar__end">
          <LiveIndicator />
          <ThemeToggle />
          <button type="button" className="btn btn--primary" onClick={() => start()}>
            <Icon name="play" size={13} />
            <span className="hide-phone">Start execution</span>
            <span className="show-phone">Start</span>
          </button>
        </div>
      </div>
    </header>
  );
}
