// Types of free-port.js: plain JavaScript so that scripts and benchmarks (.mjs) and tests (.ts) share one freePort.

/** A port that was free on 127.0.0.1 a moment ago (the kernel's pick for port 0). */
export declare function freePort(): Promise<number>;

/** `count` different ports that were free on 127.0.0.1 a moment ago: all are held open at once, so no two are the same. */
export declare function freePorts(count: number): Promise<number[]>;
