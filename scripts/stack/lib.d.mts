/** Types of lib.mjs, for the TypeScript tests that import it (infra/test/stack-command.test.ts). */
export declare const COMMANDS: readonly string[];
export declare const USAGE: string;
export declare class UsageError extends Error {}

export type ParsedArgs =
  | { help: true }
  | { help?: undefined; command: 'up' | 'full' | 'status' | 'down'; noBuild: boolean; waitSeconds: number; volumes: boolean };
export declare function parseArgs(argv: readonly string[]): ParsedArgs;

export declare function ensurePasswordFile(
  path: string,
  random?: (size: number) => Buffer,
): { password: string; created: boolean; warning: string | undefined };

export declare function normalizeImage(reference: string): string;
export declare function composeDefault(composeText: string, variable: string): string;

export interface ComposeService {
  image: string | undefined;
  dependsOn: string[];
  profiles: string[];
}
export declare function parseComposeConfig(text: string): Map<string, ComposeService>;
export declare function servicesInProfiles(services: Map<string, ComposeService>, profiles: readonly string[]): Map<string, ComposeService>;
export declare function startableServices(
  services: Map<string, ComposeService>,
  presentImages: Set<string>,
): { start: string[]; skipped: { name: string; reason: string }[]; without: { name: string; missing: string[] }[] };

export declare function reachableHost(bind: string | undefined): string;
export declare function projectName(environmentValue: string | undefined, composeFolderName?: string): string;

export interface StackContainer {
  service: string;
  state: string;
  health: string | undefined;
  exitCode: number | undefined;
  ports: Record<string, { HostIp: string; HostPort: string }[] | null>;
}
export declare function containersFromInspect(inspectJson: string): StackContainer[];
export declare function publishedAddress(containers: readonly StackContainer[], service: string, port: number): string | undefined;
export declare function describeServices(containers: readonly StackContainer[]): string[];
