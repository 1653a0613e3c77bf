// Preloaded (--import) into the profiled balancer only: exit normally on SIGTERM/SIGINT,
// because --cpu-prof writes its .cpuprofile at a normal exit and not when killed by a signal.
for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => process.exit(0));
