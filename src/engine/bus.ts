import type { DomainEvent, DomainEventType } from '../domain/events.ts';

type Handler<T extends DomainEventType> = (event: Extract<DomainEvent, { type: T }>) => void | Promise<void>;
type AnyHandler = (event: DomainEvent) => void | Promise<void>;

/**
 * In-process typed event bus. Publishing never throws and never waits for subscribers: a failing
 * subscriber is reported to `onError` and the others still run.
 */
export class EventBus {
  private readonly handlers = new Map<DomainEventType | '*', Set<AnyHandler>>();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly onError: (err: unknown, event: DomainEvent) => void = () => {}) {}

  on<T extends DomainEventType>(type: T, handler: Handler<T>): () => void {
    return this.add(type, handler as AnyHandler);
  }

  onAny(handler: AnyHandler): () => void {
    return this.add('*', handler);
  }

  publish(event: DomainEvent): void {
    for (const key of [event.type, '*'] as const) {
      for (const h of this.handlers.get(key) ?? []) {
        try {
          const r = h(event);
          if (r && typeof (r as Promise<void>).then === 'function') {
            const p = (r as Promise<void>).catch((err) => this.onError(err, event)).finally(() => this.pending.delete(p));
            this.pending.add(p);
          }
        } catch (err) {
          this.onError(err, event);
        }
      }
    }
  }

  /** Wait for asynchronous subscribers still running (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private add(key: DomainEventType | '*', h: AnyHandler): () => void {
    let set = this.handlers.get(key);
    if (!set) this.handlers.set(key, (set = new Set()));
    set.add(h);
    return () => set!.delete(h);
  }
}
