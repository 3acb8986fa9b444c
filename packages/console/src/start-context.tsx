// "Start execution" can be opened from anywhere (top bar, a function card, an execution's input).
import type { ReactNode } from "react";
import { createContext, useCallback, useContext, useMemo, useState } from "react";
import { StartDialog } from "./views/start-dialog";

export interface StartRequest {
  functionName?: string;
  qualifier?: string;
  payload?: string;
}

const StartContext = createContext<(request?: StartRequest) => void>(() => undefined);

export function useStartExecution(): (request?: StartRequest) => void {
  return useContext(StartContext);
}

export function StartProvider({ children }: { children: ReactNode }) {
  const [request, setRequest] = useState<StartRequest | null>(null);
  const open = useCallback((r: StartRequest = {}) => setRequest(r), []);
  const value = useMemo(() => open, [open]);
  return (
    <StartContext.Provider value={value}>
      {children}
      {request && <StartDialog initial={request} onClose={() => setRequest(null)} />}
    </StartContext.Provider>
  );
}
