/**
 * The SQS message of one periodic-task run, exactly as the production scheduler sends it
 * (Beanstalk's leader, and our component's EventBridge Scheduler target): body
 * `elasticbeanstalk scheduled job` and three String attributes. Pure and free of Pulumi, so
 * local mode, the component and the tests share one definition of the shape.
 */
import type { MessageAttributeValue } from "@aws-sdk/client-sqs";
import { TASK_NAME_ATTR, TASK_PATH_ATTR, TASK_TIME_ATTR, isoUtc } from "./message";

/** Body of every periodic-task message (the daemon routes by the attributes, not the body). */
export const PERIODIC_BODY = "elasticbeanstalk scheduled job";

/** One run of a cron.yaml entry. */
export interface PeriodicRun {
  /** The entry's `name`. */
  name: string;
  /** The entry's `url`: the path the daemon POSTs to. */
  path: string;
  /**
   * The scheduled time of this run (not the time it was sent), or a placeholder that the
   * sender fills in, such as EventBridge Scheduler's `<aws.scheduler.scheduled-time>`.
   */
  scheduledAt: Date | string;
}

/** Body and message attributes of a periodic run, ready for SendMessage. */
export interface PeriodicMessage {
  body: string;
  attributes: Record<string, MessageAttributeValue>;
}

const str = (value: string): MessageAttributeValue => ({ DataType: "String", StringValue: value });

/**
 * Build the message for one run; a Date becomes ISO 8601 UTC without fractions
 * (e.g. 2026-01-01T12:00:00Z), a string is used as it is.
 */
export function periodicMessage(run: PeriodicRun): PeriodicMessage {
  return {
    body: PERIODIC_BODY,
    attributes: {
      [TASK_NAME_ATTR]: str(run.name),
      [TASK_PATH_ATTR]: str(run.path),
      [TASK_TIME_ATTR]: str(typeof run.scheduledAt === "string" ? run.scheduledAt : isoUtc(run.scheduledAt.getTime())),
    },
  };
}
