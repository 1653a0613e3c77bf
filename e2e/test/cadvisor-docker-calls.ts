/**
 * Every Docker Engine API call cAdvisor makes, read from its source at the version
 * infra/compose.yaml runs (gcr.io/cadvisor/cadvisor:v0.49.1: google/cadvisor tag v0.49.1,
 * commit 6f3f25bac19f9f485935a19a28bdcf4edb507d80), whose Docker client is
 * github.com/docker/docker v20.10.27 (go.mod) created with WithAPIVersionNegotiation
 * (container/docker/client.go:58). cAdvisor finds containers by watching cgroups
 * (watcher.Raw, factory.go:368), not by listing them or reading events, so its calls are
 * these and no others. docker-api-proxy.test.ts replays them through the proxy.
 *
 * Paths as the client sends them: `{version}` is the negotiated API version (the engine's,
 * at most the client's 1.41), `{id}` a container's full id (from its cgroup's name).
 */
export interface DockerCall {
  readonly method: 'GET' | 'HEAD';
  readonly path: string;
  /** Where in cAdvisor (file:line at v0.49.1) and what it reads from the answer. */
  readonly source: string;
}

export const CADVISOR_VERSION = 'v0.49.1';

export const CADVISOR_DOCKER_CALLS: readonly DockerCall[] = [
  {
    method: 'HEAD',
    path: '/_ping',
    source: "client.go:58 WithAPIVersionNegotiation: the client's Ping before its first call, unversioned; the API-Version header",
  },
  {
    method: 'GET',
    path: '/_ping',
    source: "the same Ping again when HEAD gets neither 200 nor 500 (docker client's ping.go)",
  },
  {
    method: 'GET',
    path: '/{version}/info',
    source:
      'docker.go:137 Info() from factory.go:312 Register (ValidateInfo: ServerVersion, Driver, DriverStatus); docker.go:52 StatusWithContext from plugin.go:60 at start and the /docker page',
  },
  {
    method: 'GET',
    path: '/{version}/version',
    source:
      'docker.go:157 VersionString, docker.go:169 APIVersionString (ServerVersion: Version, ApiVersion) from factory.go:320 Register and StatusFromDockerInfo',
  },
  {
    method: 'GET',
    path: '/{version}/containers/{id}/json',
    source:
      "factory.go:178 CanHandleAndAccept (State.Running); handler.go:163 newDockerContainerHandler (Config.Labels, Config.Image, Created, Name, State.Pid, RestartCount, HostConfig.NetworkMode, NetworkSettings.IPAddress, GraphDriver.Data); handler.go:212 for a container sharing another one's network",
  },
  {
    method: 'GET',
    path: '/{version}/images/json',
    source: "docker.go:91 Images() (ImageList, All: false): only the web UI's /docker page (cmd/internal/pages/docker.go:90)",
  },
];

/**
 * Reads cAdvisor does not make, next to the ones it does, on the same engine objects:
 * each is refused, so passing cAdvisor's calls opened nothing beside them.
 */
export const NOT_CADVISOR_CALLS: readonly DockerCall[] = [
  { method: 'GET', path: '/{version}/containers/{id}/stats?stream=0', source: 'cAdvisor reads cgroup files for statistics, never the engine' },
  { method: 'GET', path: '/{version}/containers/{id}/top', source: 'processes: from /proc, never the engine' },
  { method: 'GET', path: '/{version}/containers/{id}/changes', source: 'not called' },
  { method: 'GET', path: '/{version}/containers/{id}/logs?stdout=1', source: 'not called' },
  { method: 'GET', path: '/{version}/containers/{id}/export', source: 'not called' },
  { method: 'GET', path: '/{version}/images/{image}/json', source: 'only the image list is read' },
  { method: 'GET', path: '/{version}/images/{image}/history', source: 'not called' },
  { method: 'GET', path: '/{version}/images/get?names={image}', source: 'not called (exports image contents)' },
  { method: 'GET', path: '/{version}/system/df', source: 'disk usage: from the file system, never the engine' },
  { method: 'GET', path: '/{version}/volumes', source: 'not called' },
  { method: 'GET', path: '/{version}/plugins', source: 'not called' },
];
