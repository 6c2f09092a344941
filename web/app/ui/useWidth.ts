// useWidth is the rendered width of the element ref points at, kept current by a ResizeObserver,
// so a component can fold parts away by the room it really has (in a CRM card or a full page).
import { useLayoutEffect, useState } from "preact/hooks";
import type { RefObject } from "preact";

export function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return width;
}
