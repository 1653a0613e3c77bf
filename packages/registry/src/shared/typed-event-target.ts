type Listener = Parameters<EventTarget['addEventListener']>[1];
type AddOptions = Parameters<EventTarget['addEventListener']>[2];
type RemoveOptions = Parameters<EventTarget['removeEventListener']>[2];

/**
 * An EventTarget whose own events (`M`: event type name to event class) have typed
 * listeners, so `pool.addEventListener('health', (e) => e.detail...)` needs no cast. Any
 * other type name takes EventTarget's untyped signature.
 */
export interface TypedEventTarget<M> {
  addEventListener<K extends keyof M & string>(type: K, listener: (event: M[K]) => void, options?: AddOptions): void;
  addEventListener(type: string, listener: Listener, options?: AddOptions): void;
  removeEventListener<K extends keyof M & string>(type: K, listener: (event: M[K]) => void, options?: RemoveOptions): void;
  removeEventListener(type: string, listener: Listener, options?: RemoveOptions): void;
  dispatchEvent(event: Event): boolean;
}

/**
 * The platform's EventTarget under the typed signature, to extend. Only the types change:
 * instances are plain EventTargets (interface merging cannot do this, since a class that
 * extends EventTarget keeps EventTarget's own `addEventListener` type).
 */
export const TypedEventTarget = EventTarget as new <M>() => TypedEventTarget<M>;
