import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ConsoleClient } from "./api";
import { App } from "./app";
import { ToastProvider } from "./components/toasts";
import { Connection } from "./connection";
import { ServicesContext } from "./hooks";
import { applyTheme, readTheme } from "./theme";
import "./styles/base.css";
import "./styles/controls.css";
import "./styles/layout.css";
import "./styles/views.css";
import "./styles/execution.css";
import "./styles/json.css";
import "./styles/tree.css";
import "./styles/timeline.css";
import "./styles/events.css";

applyTheme(readTheme());

const connection = new Connection();
const client = new ConsoleClient(connection);
connection.start();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ServicesContext.Provider value={{ client, connection }}>
      <ToastProvider>
        <App />
      </ToastProvider>
    </ServicesContext.Provider>
  </StrictMode>,
);
