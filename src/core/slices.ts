/** How long a slice of background work (re-indexing, re-reading notes) may hold the event loop before it lets other work run. */
const SLICE_MS = 4;

/**
 * Runs `steps` to the end in slices of a few milliseconds, with the event loop free between them (setImmediate,
 * so timers and sockets run first); undefined when `cancelled` stopped it.
 */
export async function inSlices<T>(steps: Generator<void, T, undefined>, cancelled: () => boolean): Promise<T | undefined> {
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart < SLICE_MS) continue;
    await new Promise((resolve) => setImmediate(resolve));
    if (cancelled()) return undefined;
    sliceStart = performance.now();
  }
}

/** Runs `steps` to the end at once (what `inSlices` does in slices): for a caller that cannot wait. */
export function runToEnd<T>(steps: Generator<void, T, undefined>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** `steps`, ending with true, so that `inSlices` can tell completion from cancellation. */
export function* withResult(steps: Generator<void, void, undefined>): Generator<void, true, undefined> {
  yield* steps;
  return true;
}

