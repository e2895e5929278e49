/**
 * Many short-lived waiters on one long-lived signal (the stop, the drain) without one
 * 'abort' listener each: with HttpConnections 100 that is 100 listeners on one signal,
 * which Node before 24 reports as a MaxListenersExceededWarning (a leak, as far as it can
 * tell). One listener on the parent aborts every child instead.
 */
export class AbortFanout {
  private readonly children = new Set<AbortController>();

  constructor(private readonly parent: AbortSignal) {
    parent.addEventListener(
      "abort",
      () => {
        for (const c of this.children) c.abort(parent.reason);
        this.children.clear();
      },
      { once: true },
    );
  }

  /** A controller aborted with the parent (at once if the parent already is). release() it when done. */
  child(): AbortController {
    const c = new AbortController();
    if (this.parent.aborted) c.abort(this.parent.reason);
    else this.children.add(c);
    return c;
  }

  release(c: AbortController): void {
    this.children.delete(c);
  }

  /** Children not yet released (tests: none may be left behind). */
  get size(): number {
    return this.children.size;
  }
}
