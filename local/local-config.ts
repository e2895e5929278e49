/**
 * Sidecar configuration in local mode: the sidecar's own option table and loadConfig (so
 * the same flags and environment variables work), with the queue and endpoint pointed at
 * the embedded emulator and a few defaults that suit a laptop.
 */
import { loadConfig, type Config } from "../sidecar/config";
import { optionSpec, type OptionName } from "../sidecar/options";
import { ConfigError } from "./errors";

/** Raw option values keyed by option name, as the sidecar's CLI produces them. */
export type OptionValues = Partial<Record<OptionName, string>>;

/**
 * Defaults that differ from the sidecar's in local mode (a flag or environment variable
 * still wins): no status port to clash with, no EMF lines, an unprivileged app port, fast
 * health checks so the first delivery does not wait 5 s.
 */
export const LOCAL_DEFAULTS: OptionValues = {
  HttpUrl: "http://127.0.0.1:8080/",
  StatusPort: "0",
  Metrics: "false",
  HealthCheckInterval: "0.2",
  TaskProtection: "off",
  // The emulator accepts any region; AWS_REGION and the other aliases still win.
  Region: "us-east-1",
};

/** Whether the user set `name` by flag or environment (then local defaults do not apply). */
function userSet(name: OptionName, flags: OptionValues, env: NodeJS.ProcessEnv): boolean {
  if (flags[name] !== undefined) return true;
  const spec = optionSpec(name);
  return [spec.name, ...(spec.aliases ?? [])].some((n) => env[n] !== undefined && env[n] !== "");
}

/** Flags with local defaults filled in where the user set nothing. */
export function withLocalDefaults(flags: OptionValues, env: NodeJS.ProcessEnv): OptionValues {
  const out: OptionValues = { ...flags };
  for (const [name, value] of Object.entries(LOCAL_DEFAULTS) as Array<[OptionName, string]>) {
    if (!userSet(name, flags, env)) out[name] = value;
  }
  return out;
}

/** A queue URL that passes validation before the real queue exists. */
const PLACEHOLDER_QUEUE = "http://127.0.0.1/000000000000/placeholder";

/**
 * The sidecar Config for a local run. Called once with no queue (to report option errors
 * before anything starts) and once with the emulator's queue URL and endpoint.
 */
export function localConfig(flags: OptionValues, env: NodeJS.ProcessEnv, queue?: { url: string; endpoint: string }): Config {
  if (flags.WorkerQueueURL !== undefined) {
    throw new ConfigError(["--queue-url: local mode creates its own queue in the embedded emulator; name it with --queue-name instead"]);
  }
  const merged = withLocalDefaults(flags, env);
  return loadConfig(
    {
      ...merged,
      WorkerQueueURL: queue?.url ?? PLACEHOLDER_QUEUE,
      Endpoint: queue?.endpoint ?? "http://127.0.0.1/",
    },
    env,
  );
}
