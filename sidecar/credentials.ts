/**
 * AWS credentials for the daemon's SQS calls without loading the AWS SDK, whose client and
 * credential chain took ~20 MiB of a daemon idling at 71 (docs/performance.md). The sources a
 * deployed sidecar has are read here: the environment (AWS_ACCESS_KEY_ID…) and the ECS task
 * role (the container credentials endpoint, refreshed before it expires). Any other setup (a
 * profile or a shared config file, SSO, web identity, EC2 instance metadata) goes to the
 * SDK's default chain, loaded only then, in the SDK's order: environment first, files and
 * web identity before the container endpoint.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { httpRequest } from "./http-request";
import { StartError, errorText } from "./errors";
import type { Credentials } from "./sigv4";

export type CredentialSource = () => Promise<Credentials>;

interface Expiring extends Credentials {
  /** Epoch ms; undefined: never expires. */
  expiresAt?: number;
}

/** Credentials are fetched again this long before they expire (the SDK's window). */
const REFRESH_BEFORE_MS = 5 * 60_000;
/** Hosts the container endpoint may name over plain http (the SDK's list). */
const CONTAINER_HOSTS = new Set(["169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "localhost", "[::1]"]);

/** Whether the SDK's chain would find something before the container endpoint. */
function sdkSourceBeforeContainer(env: NodeJS.ProcessEnv): boolean {
  if (env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE) return true;
  const home = env.HOME ?? homedir();
  const files = [env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, ".aws", "credentials"), env.AWS_CONFIG_FILE ?? join(home, ".aws", "config")];
  return files.some((f) => existsSync(f));
}

/** The container credentials endpoint and its Authorization header, when ECS provides one. */
function containerEndpoint(env: NodeJS.ProcessEnv): { url: string; token?: () => string } | undefined {
  const relative = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
  const full = env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  if (!relative && !full) return undefined;
  const url = relative ? `http://169.254.170.2${relative}` : full!;
  const u = new URL(url);
  if (u.protocol !== "https:" && !(CONTAINER_HOSTS.has(u.hostname) || u.hostname.startsWith("127."))) {
    throw new Error(`AWS_CONTAINER_CREDENTIALS_FULL_URI=${full}: plain http is allowed to the ECS and EKS credential endpoints and loopback only`);
  }
  const file = env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
  const token = env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
  return { url, token: file ? () => readFileSync(file, "utf8").trim() : token ? () => token : undefined };
}

async function fetchContainerCredentials(url: string, token?: () => string): Promise<Expiring> {
  let last: unknown;
  // The SDK's settings: a 1 s timeout, 3 retries.
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      const res = await httpRequest(url, { method: "GET", headers: token ? { authorization: token() } : {}, signal: AbortSignal.timeout(1000), keepBodyBytes: 64 * 1024 });
      if (res.status !== 200) throw new Error(`the container credentials endpoint answered ${res.status}: ${res.body.toString("utf8").slice(0, 200)}`);
      const c = JSON.parse(res.body.toString("utf8")) as { AccessKeyId?: string; SecretAccessKey?: string; Token?: string; Expiration?: string };
      if (!c.AccessKeyId || !c.SecretAccessKey) throw new Error("the container credentials endpoint answered without AccessKeyId and SecretAccessKey");
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.Token, expiresAt: c.Expiration ? Date.parse(c.Expiration) : undefined };
    } catch (err) {
      last = err;
    }
  }
  throw new Error(`cannot get credentials from the container endpoint ${url}`, { cause: last });
}

/** Fetch once, then again when close to expiry; a failed refresh keeps credentials that are still valid. */
function refreshing(fetch: () => Promise<Expiring>, clock: () => number): CredentialSource {
  let current: Expiring | undefined;
  let pending: Promise<Expiring> | undefined;
  return async () => {
    const now = clock();
    if (current && (current.expiresAt === undefined || current.expiresAt - now > REFRESH_BEFORE_MS)) return current;
    pending ??= fetch().finally(() => (pending = undefined));
    try {
      current = await pending;
    } catch (err) {
      if (!current || (current.expiresAt !== undefined && current.expiresAt <= now)) throw err;
    }
    return current;
  };
}

/** The SDK's default chain (profiles, SSO, web identity, instance metadata…), loaded on first use only. */
function sdkChain(region: string): CredentialSource {
  let provider: Promise<() => Promise<Credentials>> | undefined;
  return async () => {
    provider ??= import("@aws-sdk/client-sqs").then(
      ({ SQSClient }) => {
        const config = new SQSClient({ region }).config;
        return () => config.credentials();
      },
      (err: unknown) => {
        // The bundle loads the SDK from sqsd-sdk.cjs beside it (sidecar/build.ts): an image
        // that copied only sqsd.cjs can never get these credentials, so no retry helps.
        throw new StartError("sdk-missing", `credentials from outside the environment and ECS need the AWS SDK, which could not be loaded (${errorText(err)}): copy dist/sqsd-sdk.cjs beside dist/sqsd.cjs, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`, { cause: err });
      },
    );
    return (await provider)();
  };
}

/** Where the daemon's credentials come from, decided once from the environment. */
export function defaultCredentials(region: string, env: NodeJS.ProcessEnv = process.env, clock: () => number = Date.now): CredentialSource {
  const id = env.AWS_ACCESS_KEY_ID;
  const secret = env.AWS_SECRET_ACCESS_KEY;
  if (id && secret) {
    const creds: Credentials = { accessKeyId: id, secretAccessKey: secret, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
    return () => Promise.resolve(creds);
  }
  const container = sdkSourceBeforeContainer(env) ? undefined : containerEndpoint(env);
  if (container) return refreshing(() => fetchContainerCredentials(container.url, container.token), clock);
  return sdkChain(region);
}
