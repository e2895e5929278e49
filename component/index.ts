/** Public entry point of the WorkerEnvironment component. */
export { WorkerEnvironment } from "./worker-environment";
export type * from "./args";
export { WorkerEnvironmentArgsError, validateArgs } from "./validation";
export { toSchedulerCron, CronError } from "./cron";
export { targetBacklogPerTask } from "./scaling-math";
export { fargateSizeError, isValidFargateSize } from "./fargate-sizes";
