/**
 * Evaluator for the metric-math subset of metric-math-parser.ts, with CloudWatch's rules for
 * missing data, from https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html:
 * - arithmetic: "Missing values in a time series are treated as 0"; a datapoint that would
 *   divide by zero "is dropped". Between two series the result has a datapoint wherever either
 *   has one (the other counts as 0).
 * - comparison and logical operators: 0 or 1 per datapoint; "only one of the time series has a
 *   value for a particular time stamp, the function treats the missing value ... as 0".
 * - IF(condition, trueValue, falseValue): one output datapoint per condition datapoint (a missing
 *   condition drops it); true with trueValue missing gives 0; false with falseValue missing or
 *   omitted drops it ("Using IF expressions").
 * - FILL(ts, S | TS | REPEAT | LINEAR): fills every missing timestamp of the query. REPEAT uses
 *   the most recent actual value before the gap; LINEAR interpolates. What they do before the
 *   first or after the last actual value is not written down: here such gaps stay missing
 *   (the cautious reading: a REPEAT never invents a value it has not seen).
 * - MAX/MIN of one series: a scalar over its datapoints; of an array: a series, per timestamp.
 */
import { parse, type BinaryOp, type Node } from "./metric-math-parser";

/** A time series: timestamp (s) → value, only the datapoints that exist. */
export type Series = ReadonlyMap<number, number>;
type Value = number | Series | Series[] | "REPEAT" | "LINEAR";

export interface MathContext {
  /** Every period timestamp of the query, oldest first (what FILL fills). */
  readonly grid: readonly number[];
  /** Query results by id: metrics and earlier expressions. */
  readonly series: Readonly<Record<string, Series>>;
}

const isSeries = (v: Value): v is Series => v instanceof Map;

function asSeries(v: Value, what: string): Series {
  if (isSeries(v)) return v;
  throw new TypeError(`metric math: ${what} needs a time series`);
}

function arithmetic(op: BinaryOp, a: number, b: number): number | undefined {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return b === 0 ? undefined : a / b;
    case "^":
      return a ** b;
    case "==":
      return a === b ? 1 : 0;
    case "!=":
      return a !== b ? 1 : 0;
    case "<":
      return a < b ? 1 : 0;
    case "<=":
      return a <= b ? 1 : 0;
    case ">":
      return a > b ? 1 : 0;
    case ">=":
      return a >= b ? 1 : 0;
    case "AND":
      return a !== 0 && b !== 0 ? 1 : 0;
    case "OR":
      return a !== 0 || b !== 0 ? 1 : 0;
  }
}

function binary(op: BinaryOp, left: Value, right: Value): Value {
  if (typeof left === "number" && typeof right === "number") {
    const r = arithmetic(op, left, right);
    if (r === undefined) throw new RangeError("metric math: scalar division by zero");
    return r;
  }
  const out = new Map<number, number>();
  const put = (t: number, a: number, b: number) => {
    const r = arithmetic(op, a, b);
    if (r !== undefined) out.set(t, r);
  };
  if (typeof right === "number") for (const [t, a] of asSeries(left, op)) put(t, a, right);
  else if (typeof left === "number") for (const [t, b] of asSeries(right, op)) put(t, left, b);
  else {
    const l = asSeries(left, op);
    const r = asSeries(right, op);
    for (const t of new Set([...l.keys(), ...r.keys()])) put(t, l.get(t) ?? 0, r.get(t) ?? 0);
  }
  return out;
}

function branchValue(v: Value | undefined, t: number, missing: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "number") return v;
  return asSeries(v, "IF").get(t) ?? missing;
}

function ifFn(cond: Value, whenTrue: Value, whenFalse: Value | undefined): Value {
  if (typeof cond === "number") {
    const chosen = cond !== 0 ? whenTrue : whenFalse;
    return chosen === undefined ? new Map() : asSeries(chosen, "IF with a scalar condition");
  }
  const out = new Map<number, number>();
  for (const [t, c] of asSeries(cond, "IF")) {
    const v = c !== 0 ? branchValue(whenTrue, t, 0) : branchValue(whenFalse, t, undefined);
    if (v !== undefined) out.set(t, v);
  }
  return out;
}

function fill(ts: Series, how: Value, grid: readonly number[]): Series {
  const out = new Map<number, number>();
  const actual = grid.filter((t) => ts.has(t));
  for (const t of grid) {
    const own = ts.get(t);
    if (own !== undefined) {
      out.set(t, own);
      continue;
    }
    let v: number | undefined;
    if (typeof how === "number") v = how;
    else if (isSeries(how)) v = how.get(t);
    else {
      const before = actual.filter((a) => a < t).at(-1);
      const after = actual.find((a) => a > t);
      if (how === "REPEAT") v = before === undefined ? undefined : ts.get(before);
      else if (how === "LINEAR" && before !== undefined && after !== undefined) {
        const [a, b] = [ts.get(before) ?? 0, ts.get(after) ?? 0];
        v = a + ((b - a) * (t - before)) / (after - before);
      }
    }
    if (v !== undefined) out.set(t, v);
  }
  return out;
}

function extreme(name: "MAX" | "MIN", v: Value): Value {
  const pick = name === "MAX" ? Math.max : Math.min;
  if (Array.isArray(v)) {
    const out = new Map<number, number>();
    for (const s of v) for (const [t, x] of s) out.set(t, out.has(t) ? pick(out.get(t) ?? x, x) : x);
    return out;
  }
  const values = [...asSeries(v, name).values()];
  if (values.length === 0) throw new RangeError(`metric math: ${name} of an empty series`);
  return pick(...values);
}

function perPoint(v: Value, f: (x: number) => number, name: string): Value {
  if (typeof v === "number") return f(v);
  return new Map([...asSeries(v, name)].map(([t, x]) => [t, f(x)]));
}

function call(name: string, args: Value[], ctx: MathContext): Value {
  const [a, b, c] = args;
  if (a === undefined) throw new TypeError(`metric math: ${name} needs an argument`);
  switch (name) {
    case "IF":
      if (b === undefined || args.length > 3) throw new TypeError("metric math: IF takes 2 or 3 arguments");
      return ifFn(a, b, c);
    case "FILL":
      if (b === undefined || args.length !== 2) throw new TypeError("metric math: FILL takes 2 arguments");
      return fill(asSeries(a, "FILL"), b, ctx.grid);
    case "MAX":
    case "MIN":
      return extreme(name, a);
    case "ABS":
      return perPoint(a, Math.abs, name);
    case "CEIL":
      return perPoint(a, Math.ceil, name);
    case "FLOOR":
      return perPoint(a, Math.floor, name);
    default:
      throw new SyntaxError(`metric math: function ${name} is not modelled`);
  }
}

function evaluateNode(node: Node, ctx: MathContext): Value {
  switch (node.kind) {
    case "number":
      return node.value;
    case "keyword":
      return node.name;
    case "id": {
      const s = ctx.series[node.name];
      if (!s) throw new ReferenceError(`metric math: unknown id ${node.name}`);
      return s;
    }
    case "unary":
      return binary("-", 0, evaluateNode(node.operand, ctx));
    case "binary":
      return binary(node.op, evaluateNode(node.left, ctx), evaluateNode(node.right, ctx));
    case "array":
      return node.items.map((n) => asSeries(evaluateNode(n, ctx), "an array item"));
    case "call":
      return call(node.name, node.args.map((n) => evaluateNode(n, ctx)), ctx);
  }
}

const parsed = new Map<string, Node>();

/** Evaluate an expression to the single time series an alarm or policy watches. */
export function evaluate(expression: string, ctx: MathContext): Series {
  let tree = parsed.get(expression);
  if (!tree) {
    tree = parse(expression);
    parsed.set(expression, tree);
  }
  return asSeries(evaluateNode(tree, ctx), "the final result");
}
