/**
 * The sidecar image without a Docker engine: read sidecar/Dockerfile and the context's
 * .dockerignore as `docker build` would, copy exactly the files its COPY lines take from the
 * context into a folder standing for the image's root, and give back its ENTRYPOINT with
 * paths into that folder. What runs then is what the image would run.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The instructions of a Dockerfile that the tests rely on. */
export interface DockerfileFacts {
  from: string[];
  /** COPY lines taking files from the build context (not `--from=` another stage). */
  copies: Array<{ sources: string[]; dest: string }>;
  entrypoint: string[];
}

/** Join continuation lines, drop comments and blank lines. */
function instructions(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

export function parseDockerfile(text: string): DockerfileFacts {
  const facts: DockerfileFacts = { from: [], copies: [], entrypoint: [] };
  for (const line of instructions(text)) {
    const [keyword = "", ...rest] = line.split(/\s+/);
    const args = line.slice(keyword.length).trim();
    switch (keyword.toUpperCase()) {
      case "FROM":
        facts.from.push(rest[0] ?? "");
        break;
      case "COPY": {
        if (rest.some((a) => a.startsWith("--from="))) break;
        const words = rest.filter((a) => !a.startsWith("--"));
        if (words.length < 2) throw new Error(`Dockerfile: COPY needs a source and a destination: ${line}`);
        facts.copies.push({ sources: words.slice(0, -1), dest: words[words.length - 1] as string });
        break;
      }
      case "ENTRYPOINT":
        facts.entrypoint = JSON.parse(args) as string[];
        break;
    }
  }
  return facts;
}

/** One .dockerignore pattern as a RegExp over slash-separated context paths. */
function patternRegExp(pattern: string): RegExp {
  const glob = pattern.replace(/^\/+|\/+$/g, "");
  let body = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*" && glob[i + 1] === "*") {
      body += ".*";
      i++;
    } else if (c === "*") body += "[^/]*";
    else if (c === "?") body += "[^/]";
    else body += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  // A pattern that matches a folder excludes everything under it.
  return new RegExp(`^${body}(/.*)?$`);
}

/** Whether `.dockerignore` (the text) keeps `path` in the build context: the last matching rule decides. */
export function inContext(dockerignore: string, path: string): boolean {
  let kept = true;
  for (const raw of dockerignore.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const negated = line.startsWith("!");
    if (patternRegExp(negated ? line.slice(1) : line).test(path)) kept = negated;
  }
  return kept;
}

/** The image's files, assembled under `imageRoot`, and its ENTRYPOINT pointing there. */
export interface AssembledImage {
  /** Absolute paths of the files copied (one per COPY source). */
  files: string[];
  /** ENTRYPOINT with every absolute path inside the image rewritten under `imageRoot`. */
  entrypoint: string[];
}

/**
 * Assemble the image that `docker build -f <dockerfile> <context>` would make (its COPY lines
 * only: the base image is the Node.js running the tests). Fails as the build would when a
 * source is missing from the context or excluded by its .dockerignore.
 */
export function assembleImage(context: string, dockerfile: string, imageRoot: string): AssembledImage {
  const facts = parseDockerfile(readFileSync(dockerfile, "utf8"));
  const ignoreFile = join(context, ".dockerignore");
  const ignore = existsSync(ignoreFile) ? readFileSync(ignoreFile, "utf8") : "";
  const files: string[] = [];
  for (const { sources, dest } of facts.copies) {
    for (const source of sources) {
      const from = join(context, source);
      if (!inContext(ignore, source)) throw new Error(`COPY ${source}: excluded from the build context by ${ignoreFile}`);
      if (!existsSync(from)) throw new Error(`COPY ${source}: not in the build context ${context}`);
      const to = join(imageRoot, dest.endsWith("/") ? join(dest, source.split("/").pop() as string) : dest);
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(from, to);
      files.push(to);
    }
  }
  const entrypoint = facts.entrypoint.map((a) => (a.startsWith("/") ? join(imageRoot, a) : a));
  return { files, entrypoint };
}
