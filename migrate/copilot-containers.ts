/**
 * The Copilot fields that describe a container, for the app (`image.*`, `entrypoint`, …) and for
 * each of `sidecars.<name>` alike: image or build, health check, labels, dependencies, command.
 */
import * as path from "node:path";
import { isMap } from "./copilot-read";
import type { CopilotContext, CopilotRule, Where } from "./copilot-context";
import { wholeSeconds } from "./durations";
import { fromProgram } from "./program-paths";
import { changed, mapped, notCarried } from "./report-rows";
import { setIn, type ArgValue } from "./values";

/** Where a container's arguments go: `app.*` or the extra container `extraContainers[].*` named after the sidecar. */
export interface Container {
  set(field: string, value: ArgValue): void;
  /** The argument path as the report shows it. */
  arg(field: string): string;
}

export const appContainer = (ctx: CopilotContext): Container => ({ set: (f, v) => ctx.args.set(`app.${f}`, v), arg: (f) => `app.${f}` });

export const extraContainer = (ctx: CopilotContext, name: string): Container => ({
  set: (f, v) => setIn(ctx.args.item("extraContainers", "name", name), f, v),
  arg: (f) => `extraContainers[].${f}`,
});

export type Target = (ctx: CopilotContext, where: Where) => Container;

/** A workspace-relative path of the manifest as the program sees it. */
export const programPath = (ctx: CopilotContext, p: string): string => fromProgram(ctx.outDir, path.resolve(ctx.workspace, p));

/** Copilot's shell-string form of entrypoint/command, split as a shell would (quotes kept together). */
export function shellWords(text: string): string[] {
  return [...text.matchAll(/"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((s) => typeof s === "string") ? (v as string[]) : undefined);
const stringMap = (v: unknown): Record<string, string> | undefined => (isMap(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : undefined);

export const appTarget: Target = (ctx) => appContainer(ctx);
export const sidecarTarget: Target = (ctx, where) => extraContainer(ctx, where.names[0] ?? "");
const argOf = (target: Target, arg: string): string => (target === appTarget ? `app.${arg}` : `extraContainers[].${arg}`);

/** A rule setting one container field (`arg`) from a converted value. */
function field(fieldName: string, target: Target, arg: string, convert: (v: unknown) => { value: ArgValue; note?: string; changed?: boolean } | string, whole = false): CopilotRule {
  return {
    field: fieldName,
    args: [argOf(target, arg)],
    whole,
    apply: (v, where, ctx) => {
      const c = target(ctx, where);
      const out = convert(v);
      if (typeof out === "string") return notCarried(`${out}: set \`${c.arg(arg)}\` yourself`);
      c.set(arg, out.value);
      return out.changed === true ? changed([c.arg(arg)], out.note ?? "") : mapped([c.arg(arg)], out.note ?? "");
    },
  };
}


const seconds = (v: unknown): { value: number; changed: true; note: string } | string => {
  const s = wholeSeconds(v);
  return s === undefined ? `${JSON.stringify(v)} is not a duration` : { value: s.seconds, changed: true, note: `seconds${s.rounded ? ", rounded up" : ""}` };
};

/** The fields of one container's image and runtime, under `prefix` ("image" for the app, "sidecars.<name>" for a sidecar). */
export function containerRules(target: Target, patterns: { build: string; location: string; credentials: string; labels: string; dependsOn: string; healthcheck: string; entrypoint: string; command: string }): [string, CopilotRule][] {
  const b = patterns.build;
  const pathValue = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);
  const buildString: CopilotRule = {
    field: b,
    args: [argOf(target, "build.context"), argOf(target, "build.dockerfile")],
    apply: (v, where, ctx) => {
      const c = target(ctx, where);
      const p = pathValue(v);
      if (p === undefined) return notCarried(`not a Dockerfile path: set \`${c.arg("build")}\``);
      c.set("build", { context: programPath(ctx, path.dirname(p)), dockerfile: programPath(ctx, p) });
      return changed([c.arg("build.context"), c.arg("build.dockerfile")], "the Dockerfile, with its folder as the build context (paths from the program's folder)");
    },
  };
  const pathField = (fieldName: string, arg: string, label: string): CopilotRule => ({
    field: fieldName,
    args: [argOf(target, arg)],
    apply: (v, where, ctx) => {
      const c = target(ctx, where);
      const p = pathValue(v);
      if (p === undefined) return notCarried(`not a ${label}: set \`${c.arg(arg)}\``);
      c.set(arg, programPath(ctx, p));
      return changed([c.arg(arg)], "a path from the program's folder (Copilot's are from the workspace root)");
    },
  });
  const health = patterns.healthcheck;
  return [
    [b, buildString],
    [`${b}.context`, pathField(`${b}.context`, "build.context", "path")],
    [`${b}.dockerfile`, pathField(`${b}.dockerfile`, "build.dockerfile", "Dockerfile path")],
    [`${b}.args`, field(`${b}.args`, target, "build.args", (v) => stringMap(v) === undefined ? "not a map" : { value: stringMap(v) as Record<string, string> }, true)],
    [`${b}.target`, field(`${b}.target`, target, "build.target", (v) => (typeof v === "string" ? { value: v } : "not a stage name"))],
    [`${b}.cache_from`, field(`${b}.cache_from`, target, "build.cacheFrom", (v) => (strings(v) ? { value: strings(v) as string[] } : typeof v === "string" ? { value: [v], changed: true, note: "a list of one" } : "not a list of images"))],
    [patterns.location, field(patterns.location, target, "image", (v) => (typeof v === "string" ? { value: v } : "not an image URI"))],
    [patterns.credentials, field(patterns.credentials, target, "repositoryCredentials.secretArn", (v) => (typeof v === "string" && v.startsWith("arn:") ? { value: v } : "not a secret ARN"))],
    [patterns.labels, field(patterns.labels, target, "dockerLabels", (v) => (stringMap(v) ? { value: stringMap(v) as Record<string, string> } : "not a map"), true)],
    [
      patterns.dependsOn,
      field(
        patterns.dependsOn,
        target,
        "dependsOn",
        (v) => (isMap(v) ? { value: Object.entries(v).map(([containerName, condition]) => ({ containerName, condition: String(condition).toUpperCase() })), changed: true, note: "a list of { containerName, condition }" } : "not a map of container → condition"),
        true,
      ),
    ],
    [`${health}.command`, field(`${health}.command`, target, "healthCheck.command", (v) => (strings(v) ? { value: strings(v) as string[] } : typeof v === "string" ? { value: ["CMD-SHELL", v], changed: true, note: "a shell command: [CMD-SHELL, …]" } : "not a command"))],
    [`${health}.interval`, field(`${health}.interval`, target, "healthCheck.interval", seconds)],
    [`${health}.timeout`, field(`${health}.timeout`, target, "healthCheck.timeout", seconds)],
    [`${health}.start_period`, field(`${health}.start_period`, target, "healthCheck.startPeriod", seconds)],
    [`${health}.retries`, field(`${health}.retries`, target, "healthCheck.retries", (v) => (typeof v === "number" && Number.isInteger(v) ? { value: v } : "not a whole number"))],
    [patterns.entrypoint, field(patterns.entrypoint, target, "entryPoint", (v) => (strings(v) ? { value: strings(v) as string[] } : typeof v === "string" ? { value: shellWords(v), changed: true, note: "the shell string split into a list" } : "not a command"))],
    [patterns.command, field(patterns.command, target, "command", (v) => (strings(v) ? { value: strings(v) as string[] } : typeof v === "string" ? { value: shellWords(v), changed: true, note: "the shell string split into a list" } : "not a command"))],
  ];
}
