/**
 * One hooks object that calls each given one in turn — metrics and the event log hear the same stages. Each
 * call is guarded: a hook that throws never breaks the path that reports, nor the hooks after it.
 */
export function composeHooks<T extends object>(...all: Array<T | undefined>): T {
  const present = all.filter((h): h is T => h !== undefined);
  const names = new Set(present.flatMap((h) => Object.keys(h)));
  const composed: Record<string, (...args: unknown[]) => void> = {};
  for (const name of names) {
    composed[name] = (...args) => {
      for (const hooks of present) {
        const fn = (hooks as Record<string, unknown>)[name];
        if (typeof fn !== 'function') continue;
        try {
          fn.apply(hooks, args);
        } catch {
          // a hook must never break what it observes
        }
      }
    };
  }
  return composed as T;
}
