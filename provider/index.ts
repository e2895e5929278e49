/**
 * Entry module of the `sqsd-worker` Pulumi plugin (see PulumiPlugin.yaml and
 * docs/multi-language.md). Pulumi's Node.js plugin host loads the package directory; with no
 * build (`dist/` absent) Node falls back from package.json `main` to this file, and Pulumi's
 * schema analyzer starts here too. Every ComponentResource exported here is published to
 * Python, Go, .NET and YAML as `sqsd-worker:index:<ClassName>`.
 */
export { WorkerEnvironment } from "../component/worker-environment";
