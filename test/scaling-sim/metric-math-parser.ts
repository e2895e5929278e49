/**
 * Parser for the subset of CloudWatch metric math the scaling expressions use: numbers,
 * query ids, + - * / ^, unary minus, comparisons, AND/OR (&&, ||), function calls (IF, FILL,
 * MAX, MIN, ABS, CEIL, FLOOR), [arrays] and the FILL keywords REPEAT and LINEAR.
 * Syntax: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 * (functions in upper case, ids start with a lower-case letter). Precedence is not written
 * there; this uses the usual one: ^, then * /, + -, comparisons, AND, OR.
 */

export type Node =
  | { kind: "number"; value: number }
  | { kind: "id"; name: string }
  | { kind: "keyword"; name: "REPEAT" | "LINEAR" }
  | { kind: "unary"; operand: Node }
  | { kind: "binary"; op: BinaryOp; left: Node; right: Node }
  | { kind: "call"; name: string; args: Node[] }
  | { kind: "array"; items: Node[] };

export type BinaryOp = "+" | "-" | "*" | "/" | "^" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "AND" | "OR";

const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|&&|\|\||[-+*/^<>(),[\]]))/y;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    if (!m) throw new SyntaxError(`metric math: unexpected character at ${at} in ${JSON.stringify(source)}`);
    tokens.push(m[1] ?? m[2] ?? m[3] ?? "");
  }
  return tokens;
}

const LEVELS: ReadonlyArray<ReadonlyArray<string>> = [["OR", "||"], ["AND", "&&"], ["==", "!=", "<=", ">=", "<", ">"], ["+", "-"], ["*", "/"]];
const CANONICAL: Record<string, BinaryOp> = { "||": "OR", "&&": "AND" };

/** Parse one expression; throws SyntaxError on anything outside the subset. */
export function parse(source: string): Node {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const expect = (t: string): void => {
    if (tokens[pos] !== t) throw new SyntaxError(`metric math: expected ${t} at token ${pos} in ${JSON.stringify(source)}`);
    pos++;
  };

  const level = (n: number): Node => {
    const ops = LEVELS[n];
    if (!ops) return power();
    let left = level(n + 1);
    for (let t = peek(); t !== undefined && ops.includes(t); t = peek()) {
      pos++;
      const op = (CANONICAL[t] ?? t) as BinaryOp;
      left = { kind: "binary", op, left, right: level(n + 1) };
      // Comparisons do not chain.
      if (n === 2) break;
    }
    return left;
  };
  const power = (): Node => {
    const base = unary();
    if (peek() !== "^") return base;
    pos++;
    return { kind: "binary", op: "^", left: base, right: power() };
  };
  const unary = (): Node => {
    if (peek() === "-") {
      pos++;
      return { kind: "unary", operand: unary() };
    }
    return primary();
  };
  const list = (close: string): Node[] => {
    const items: Node[] = [];
    if (peek() !== close) {
      items.push(level(0));
      while (peek() === ",") {
        pos++;
        items.push(level(0));
      }
    }
    expect(close);
    return items;
  };
  const primary = (): Node => {
    const t = tokens[pos++];
    if (t === undefined) throw new SyntaxError(`metric math: unexpected end of ${JSON.stringify(source)}`);
    if (t === "(") {
      const inner = level(0);
      expect(")");
      return inner;
    }
    if (t === "[") return { kind: "array", items: list("]") };
    if (/^\d/.test(t)) return { kind: "number", value: Number(t) };
    if (t === "REPEAT" || t === "LINEAR") return { kind: "keyword", name: t };
    if (/^[A-Z][A-Z0-9_]*$/.test(t) && peek() === "(") {
      pos++;
      return { kind: "call", name: t, args: list(")") };
    }
    if (/^[a-z][A-Za-z0-9_]*$/.test(t)) return { kind: "id", name: t };
    throw new SyntaxError(`metric math: unexpected ${JSON.stringify(t)} in ${JSON.stringify(source)}`);
  };

  const tree = level(0);
  if (pos !== tokens.length) throw new SyntaxError(`metric math: unexpected ${JSON.stringify(tokens[pos])} in ${JSON.stringify(source)}`);
  return tree;
}
