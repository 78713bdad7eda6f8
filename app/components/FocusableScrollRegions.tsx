import { useEffect } from "react";

const SCROLL_REGIONS = ".Polaris-DataTable__ScrollContainer, .Polaris-IndexTable__ScrollContainer";

/**
 * Polaris tables scroll sideways when their content is wide, but their scroll containers cannot
 * take focus, so keyboard users cannot scroll them (WCAG 2.1.1; axe "scrollable-region-focusable").
 * This makes each one a focusable, labelled region, including tables rendered later.
 */
export function FocusableScrollRegions() {
  useEffect(() => {
    const label = () => {
      for (const region of document.querySelectorAll<HTMLElement>(SCROLL_REGIONS)) {
        if (region.tabIndex === 0) continue;
        region.tabIndex = 0;
        region.setAttribute("role", "region");
        region.setAttribute("aria-label", "Table, scrolls sideways");
      }
    };
    label();
    const observer = new MutationObserver(label);
    observer.observe(document.body, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);
  return null;
}
