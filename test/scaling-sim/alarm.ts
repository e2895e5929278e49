/**
 * CloudWatch alarm evaluation on a metric-math expression, as documented in
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
 * ("Evaluating an alarm", "How alarm state is evaluated when data is missing"):
 * - Each evaluation retrieves more periods than Evaluation Periods, the evaluation range (the
 *   page's example: 5 for 3). Its size is not published; here it is evaluationPeriods + extra.
 * - Enough existing datapoints in the range: the newest `evaluationPeriods` of them decide and
 *   the missing-data setting is ignored. Fewer: every existing one counts and the rest are
 *   filled per treatMissingData; with `missing`/`ignore` an outcome the existing datapoints do
 *   not settle is INSUFFICIENT_DATA / the state kept (the page's tables).
 * - ALARM needs `datapointsToAlarm` breaching datapoints among those evaluated, else OK.
 * - FILL in the expression creates the newest datapoint itself, so a late metric is never
 *   "missing" to the alarm (the FILL row of the metric-math page warns of exactly this).
 */
import type { MathExpression, TreatMissingData } from "../../component/scaling-math";
import { evaluate, type Series } from "./metric-math";

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

export interface AlarmSettings {
  readonly expressions: readonly MathExpression[];
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly breaches: (value: number) => boolean;
  readonly treatMissingData: TreatMissingData;
}

export interface Evaluation {
  readonly state: AlarmState;
  /** The datapoints that decided, oldest first (filled ones left out). */
  readonly values: readonly number[];
}

/** How the simulation fetches a metric's published datapoints. */
export type FetchMetric = (id: string, from: number, to: number, now: number) => Series;

export class Alarm {
  state: AlarmState = "INSUFFICIENT_DATA";

  constructor(
    readonly settings: AlarmSettings,
    private readonly metricIds: readonly string[],
    private readonly fetch: FetchMetric,
    private readonly rangeExtra: number,
  ) {}

  /** Evaluate at a period boundary `now`: the newest period is [now - period, now). */
  evaluate(now: number): Evaluation {
    const { period, evaluationPeriods: n, datapointsToAlarm: m, breaches, treatMissingData } = this.settings;
    const periods = n + this.rangeExtra;
    const from = now - periods * period;
    const grid = Array.from({ length: periods }, (_, k) => from + k * period);
    const series: Record<string, Series> = Object.fromEntries(this.metricIds.map((id) => [id, this.fetch(id, from, now, now)]));
    let result: Series = new Map();
    for (const e of this.settings.expressions) {
      result = evaluate(e.expression, { grid, series });
      series[e.id] = result;
    }
    const existing = grid.filter((t) => result.has(t)).map((t) => result.get(t) ?? 0);
    const decided = existing.length >= n ? existing.slice(-n) : existing;
    const breaching = decided.filter(breaches).length;
    const fills = n - decided.length;
    let next: AlarmState;
    if (treatMissingData === "breaching") next = breaching + fills >= m ? "ALARM" : "OK";
    else if (treatMissingData === "notBreaching" || breaching >= m) next = breaching >= m ? "ALARM" : "OK";
    else if (decided.length > breaching) next = "OK";
    else next = treatMissingData === "ignore" ? this.state : "INSUFFICIENT_DATA";
    this.state = next;
    return { state: next, values: decided };
  }
}
