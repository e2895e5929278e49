/**
 * The result of reading and mapping one worker's configuration, before anything is written:
 * the arguments of each WorkerEnvironment per stack, the report rows, and what the migrator
 * decided on its own. The program writers and the report writer take it from here.
 */
import type { Row } from "./report-rows";
import type { ArgMap } from "./values";

export interface WorkerPlan {
  /** The component's name (`new WorkerEnvironment(name, args)`). */
  readonly name: string;
  /** Its arguments in each stack, in the plan's stack order. */
  readonly args: ReadonlyMap<string, ArgMap>;
}

export interface MigrationPlan {
  readonly tool: "beanstalk" | "copilot";
  /** The files read, in the order they apply (later wins). */
  readonly inputs: readonly string[];
  /** How the inputs combine, for the report. */
  readonly precedence: string;
  /** The Pulumi project's name. */
  readonly project: string;
  /** Stack names, one per environment. */
  readonly stacks: readonly string[];
  /** aws:region per stack, when the input names it. */
  readonly regions: ReadonlyMap<string, string>;
  /** The main worker first; then, for Copilot, one per topic with a queue of its own. */
  readonly workers: readonly WorkerPlan[];
  readonly rows: readonly Row[];
  /** cron.yaml to write beside the program (the args say cronFile: "./cron.yaml"). */
  readonly cron?: { readonly from: string; readonly text: string };
  /** What the migrator chose where the input says nothing, one sentence each. */
  readonly decisions: readonly string[];
}

/** The name of the cron file written beside the program. */
export const CRON_FILE = "cron.yaml";
