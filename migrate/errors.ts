/**
 * How `sqsd-worker migrate` fails, each with its exit code (documented in its --help and the
 * guides): bad input or usage (2), output files already there (3). Anything else is a bug (1).
 */

/** Exit codes of `sqsd-worker migrate`. */
export const EXIT = {
  /** Written (or, with --dry-run, the report printed). */
  ok: 0,
  /** An unexpected failure. */
  failure: 1,
  /** Usage error or input the migrator refuses: unreadable or malformed file, not a worker, nothing to migrate. */
  input: 2,
  /** An output file already exists and --force was not given; nothing was written. */
  exists: 3,
} as const;

/** Input or usage the migrator refuses; `problems` each name the file (and line) and the fix. */
export class MigrateInputError extends Error {
  override name = "MigrateInputError";
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
  }
}

/** Output files exist and --force was not given. */
export class OutputExistsError extends Error {
  override name = "OutputExistsError";
  constructor(readonly files: readonly string[]) {
    super(`would overwrite ${files.join(", ")}`);
  }
}
