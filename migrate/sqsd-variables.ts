/**
 * The community simple-sqsd sidecar's SQSD_* variables (the ECS worker blog's setup) → the
 * built-in sidecar's arguments. Derived from the sidecar's option table, where each option lists
 * its simple-sqsd alias, and the component's option → argument table: one source with the
 * sidecar itself and the guide's SQSD_* table (a test holds the guide to these rules).
 */
import { OPTIONS, type OptionSpec } from "../sidecar/options";
import { PEER_VARIABLES } from "../sidecar/peer-variables";
import { sidecarOptionArgument } from "./beanstalk-rules";
import { changed, mapped, notCarried, type Disposition } from "./report-rows";
import type { ArgMap, ArgsTree } from "./values";

/** The option a simple-sqsd variable sets, if any. */
export function sqsdOption(variable: string): OptionSpec | undefined {
  return (OPTIONS as readonly OptionSpec[]).find((o) => o.aliases?.includes(variable) === true && variable.startsWith("SQSD_"));
}

/** Options whose value is a credential: carried only from a secret, into sidecar.secrets. */
const SECRET_OPTIONS: ReadonlySet<string> = new Set(["HmacSecret", "AuthorizationHeader"]);

/** Arguments the variable may set (tests hold them to the guide's SQSD_* table). */
export function sqsdVariableArgs(variable: string): string[] {
  const spec = sqsdOption(variable);
  if (spec === undefined) return [];
  switch (spec.name) {
    case "WorkerQueueURL":
    case "Region":
    case "Endpoint":
      return [];
    case "HttpUrl":
      return ["app.port", "app.httpPath"];
    default:
      if (SECRET_OPTIONS.has(spec.name)) return [`sidecar.secrets.${spec.name}`];
      return [sidecarOptionArgument(spec.name) ?? `sidecar.environment.${spec.name}`];
  }
}

/** Every SQSD_* variable an option of the sidecar reads. */
export const SQSD_VARIABLES: readonly string[] = (OPTIONS as readonly OptionSpec[]).flatMap((o) => (o.aliases ?? []).filter((a) => a.startsWith("SQSD_")));

function numberFor(spec: OptionSpec, value: string): number | undefined {
  const n = Number(value.trim());
  if (value.trim() === "" || !Number.isFinite(n)) return undefined;
  if (spec.kind === "integer" && !Number.isInteger(n)) return undefined;
  if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) return undefined;
  return n;
}

/**
 * One variable of the simple-sqsd container: `value` is its plain value, or `secret` the
 * ContainerSecret it was read from.
 */
export function sqsdVariable(variable: string, value: string | undefined, secret: ArgMap | undefined, args: ArgsTree): Disposition {
  return { ...decide(variable, value, secret, args), rule: `sqsd:${variable}` };
}

function decide(variable: string, value: string | undefined, secret: ArgMap | undefined, args: ArgsTree): Disposition {
  const spec = sqsdOption(variable);
  const peer = PEER_VARIABLES.find((p) => p.variable === variable);
  if (peer !== undefined) return notCarried(peer.action === "refuse" ? peer.reason : `${peer.reason} (the sidecar would warn and go on)`);
  if (spec === undefined) return notCarried(`not a simple-sqsd option: the built-in sidecar gets its options from the component; any other goes in sidecar.environment`);
  switch (spec.name) {
    case "WorkerQueueURL":
      return notCarried("the component sets the sidecar's queue: the one it creates (`queue`), or `existingQueue`");
    case "Region":
      return notCarried("the component sets it: the stack's region (aws:region)");
    case "Endpoint":
      return notCarried("a local SQS endpoint: local runs only (sqsd-worker local)");
  }
  if (SECRET_OPTIONS.has(spec.name)) {
    const arg = `sidecar.secrets.${spec.name}`;
    if (secret === undefined) return { ...notCarried(`a plain-text credential: store it in Secrets Manager or SSM and pass \`${arg}\` (kept out of the task definition)`), secret: true };
    args.set(["sidecar", "secrets", spec.name], secret);
    return mapped([arg], "read by ECS at task start, kept out of the task definition");
  }
  if (value === undefined) return notCarried(`${variable} from a secret: set it as plain \`${sqsdVariableArgs(variable)[0]}\``);
  if (spec.name === "HttpUrl") {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return notCarried(`"${value}" is not a URL: set \`app.port\` and \`app.httpPath\``);
    }
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    args.set("app.port", port);
    const out = ["app.port"];
    if (url.pathname !== "/") {
      args.set("app.httpPath", url.pathname);
      out.push("app.httpPath");
    }
    return changed(out, `the sidecar posts to http://127.0.0.1:<app.port><app.httpPath> in the task: port ${port}${url.pathname !== "/" ? `, path ${url.pathname}` : ""}`);
  }
  const arg = sidecarOptionArgument(spec.name);
  const target = arg ?? `sidecar.environment.${spec.name}`;
  const numeric = spec.kind === "integer" || spec.kind === "number";
  const n = numeric ? numberFor(spec, value) : undefined;
  if (numeric && n === undefined) return notCarried(`"${value}" is out of the sidecar's range for ${spec.name} (${spec.min}-${spec.max}): set \`${target}\``);
  if (arg !== undefined) args.set(arg, n ?? value);
  else args.set(["sidecar", "environment", spec.name], value);
  return mapped([target], `the sidecar's ${spec.name}`);
}

/** An image of simple-sqsd or another sqsd daemon. */
export const isSqsdImage = (image: unknown): boolean => typeof image === "string" && /sqsd/i.test(image);

/** A container definition (a taskdef override's value) running an sqsd image. */
export const isSqsdContainer = (v: unknown): boolean => typeof v === "object" && v !== null && (isSqsdImage((v as Record<string, unknown>).Image) || isSqsdImage((v as Record<string, unknown>).image));
