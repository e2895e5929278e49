/**
 * An input file parsed with the position of every key, so the report can say where each
 * setting came from and a malformed file is refused naming its line. YAML and JSON both go
 * through the `yaml` package (JSON is YAML's flow syntax); JSON files (by name, or a text that
 * opens with "{", as JSON ebextensions do) are also held to JSON's stricter grammar.
 */
import { readFileSync } from "node:fs";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { MigrateInputError } from "./errors";
import { jsonErrorOffset } from "./json-position";

/** A path into a parsed file: map keys and list indexes. */
export type KeyPath = readonly (string | number)[];

export class SourceFile {
  private constructor(
    /** The path as the user gave it (shown in the report). */
    readonly file: string,
    readonly text: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** Parse `text`; throws MigrateInputError naming the file, line and column of the first error. */
  static parse(file: string, text: string, json = /\.json$/i.test(file) || /^\s*\{/.test(text)): SourceFile {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const first = doc.errors[0];
    if (first !== undefined) {
      const { line, col } = lines.linePos(first.pos[0]);
      throw new MigrateInputError([`${file}:${line}:${col}: not valid ${json ? "JSON" : "YAML"}: ${first.message.split("\n")[0] ?? ""}`]);
    }
    if (json) {
      const offset = jsonErrorOffset(text);
      if (offset !== undefined) {
        const { line, col } = lines.linePos(offset);
        throw new MigrateInputError([`${file}:${line}:${col}: not valid JSON (unexpected ${JSON.stringify(text.slice(offset, offset + 12) || "end of file")})`]);
      }
    }
    return new SourceFile(file, text, doc, lines);
  }

  /** Read and parse a file; an unreadable file is input error too. */
  static read(file: string): SourceFile {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw new MigrateInputError([`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
    }
    return SourceFile.parse(file, text);
  }

  /** The whole document as plain values. */
  value(): unknown {
    return this.doc.toJS({ maxAliasCount: 100 });
  }

  /** Line of the key at `path` (of the item, for a list index); the document's first line when not found. */
  line(path: KeyPath): number {
    let node: unknown = this.doc.contents;
    let offset = (this.doc.contents as Node | null)?.range?.[0] ?? 0;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment || String(isScalar(p.key) ? p.key.value : p.key) === String(segment));
        if (pair === undefined) break;
        offset = (pair.key as Node | null)?.range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number") {
        const item = node.items[segment] as Node | undefined;
        if (item === undefined) break;
        offset = item.range?.[0] ?? offset;
        node = item;
      } else break;
    }
    return this.lines.linePos(offset).line;
  }

  /** "file:line" of the key at `path`. */
  where(path: KeyPath): string {
    return `${this.file}:${this.line(path)}`;
  }
}
