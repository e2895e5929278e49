// Must NOT type-check: proves the package's types are real declarations, not `any`.
import { WorkerEnvironment } from "sqsd-worker";

new WorkerEnvironment("bad", { app: { image: "x", port: "8080" } });
