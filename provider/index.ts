/**
 * Entry module of the `sqsd-worker` Pulumi plugin (PulumiPlugin.yaml beside it;
 * docs/multi-language.md). Pulumi's Node.js plugin host requires this folder, whose
 * package.json `main` names this file (run through ts-node from source: no build step), and
 * Pulumi's schema analyzer starts here too. Every ComponentResource exported here is published
 * to Python, Go, .NET and YAML as `sqsd-worker:index:<ClassName>`.
 */
export { WorkerEnvironment } from "../component/worker-environment";
