/**
 * A typed facade over node:events. `Events` maps each event name to its payload type, so
 * `on("delivered", (e) => …)` knows what `e` is and emitting a wrong payload does not compile.
 *
 * A listener that throws cannot break the emitter's own bookkeeping (a message half
 * settled): the error is rethrown on the next tick, an uncaught exception like any other.
 */
import { EventEmitter } from "node:events";

export type Listener<P> = (payload: P) => void;

/** Names of `Events` (its string keys). */
export type EventName<Events> = keyof Events & string;

export class TypedEmitter<Events extends { [K in keyof Events]: object }> {
  private readonly emitter = new EventEmitter();

  /** Call `listener` with the payload of every `event` from now on. */
  on<K extends EventName<Events>>(event: K, listener: Listener<Events[K]>): this {
    this.emitter.on(event, listener);
    return this;
  }

  /** Call `listener` with the payload of the next `event` only. */
  once<K extends EventName<Events>>(event: K, listener: Listener<Events[K]>): this {
    this.emitter.once(event, listener);
    return this;
  }

  /** Remove a listener added with on() or once(). */
  off<K extends EventName<Events>>(event: K, listener: Listener<Events[K]>): this {
    this.emitter.off(event, listener);
    return this;
  }

  listenerCount(event: EventName<Events>): number {
    return this.emitter.listenerCount(event);
  }

  protected emit<K extends EventName<Events>>(event: K, payload: Events[K]): void {
    // rawListeners: once() wrappers, which remove themselves when called.
    for (const listener of this.emitter.rawListeners(event) as Array<Listener<Events[K]>>) {
      try {
        listener(payload);
      } catch (err) {
        process.nextTick(() => {
          throw err;
        });
      }
    }
  }
}
