import { useCallback, useEffect, useState } from "preact/hooks";
import { run } from "../state";

// useLoad fetches once on mount and on reload(); a failure shows as the notice and leaves the
// previous data in place.
export function useLoad<T>(fetch: () => Promise<T>): [T | undefined, () => Promise<void>, (v: T) => void] {
  const [data, setData] = useState<T | undefined>(undefined);
  const reload = useCallback(async () => {
    const v = await run(fetch);
    if (v !== undefined) setData(v);
  }, []);
  useEffect(() => { reload(); }, []);
  return [data, reload, setData];
}
