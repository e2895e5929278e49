/**
 * Argument paths of WorkerEnvironmentArgs as documentation writes them (`app.secrets.<name>.jsonKey`,
 * `extraContainers[].mountPoints[].readOnly`), resolved against component/args.ts with the
 * TypeScript compiler, so a doc naming an argument that does not exist fails its test.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";

const FILE = path.resolve(__dirname, "../../component/args.ts");

let types: Map<string, string> | undefined;

/** "Interface.property" → the property's type text, for every interface of args.ts. */
function propertyTypes(): Map<string, string> {
  if (types !== undefined) return types;
  const source = ts.createSourceFile(FILE, readFileSync(FILE, "utf8"), ts.ScriptTarget.Latest, true);
  const found = new Map<string, string>();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    for (const member of node.members) {
      if (ts.isPropertySignature(member) && ts.isIdentifier(member.name) && member.type !== undefined) {
        found.set(`${node.name.text}.${member.name.text}`, member.type.getText(source));
      }
    }
  });
  types = found;
  return found;
}

/** True when the path's first segment is a property of WorkerEnvironmentArgs (so the path claims to be an argument). */
export function namesAnArgument(argPath: string): boolean {
  const first = /^[A-Za-z]\w*/.exec(argPath)?.[0];
  return first !== undefined && propertyTypes().has(`WorkerEnvironmentArgs.${first}`);
}

/**
 * Why the path does not resolve, or undefined when it does. Segments: a property, `name[]` (an
 * array's item), `<key>` (a map's value).
 */
export function argumentPathProblem(argPath: string): string | undefined {
  const all = propertyTypes();
  let owner: string | undefined = "WorkerEnvironmentArgs";
  let pending: "array" | "map" | undefined;
  for (const raw of argPath.split(".")) {
    if (/^<\w+>$/.test(raw)) {
      if (pending !== "map") return `${argPath}: ${raw} follows no map`;
      pending = undefined;
      continue;
    }
    if (pending === "map") return `${argPath}: a map key (<name>) must follow the map`;
    const segment = raw.replace(/\[\]$/, "");
    if (owner === undefined) return `${argPath}: ${segment} follows a plain value`;
    const type = all.get(`${owner}.${segment}`);
    if (type === undefined) return `${argPath}: ${owner} has no ${segment}`;
    let inner = type.replace(/^pulumi\.Input<(.*)>$/, "$1");
    pending = undefined;
    const array = /^(.*)\[\]$/.exec(inner);
    const map = /^\{ \[\w+: string\]: (.*) \}$/.exec(inner);
    if (array) inner = array[1] ?? "";
    else if (map) {
      inner = map[1] ?? "";
      pending = "map";
    }
    if (raw.endsWith("[]") && !array) return `${argPath}: ${segment} is not a list`;
    owner = /^[A-Z]\w*$/.test(inner) ? inner : undefined;
  }
  return undefined;
}
