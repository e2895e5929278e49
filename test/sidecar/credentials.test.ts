/**
 * Where the daemon's credentials come from without the AWS SDK loaded (credentials.ts): the
 * environment, the ECS container endpoint (with its token, refreshed before expiry), and the
 * SDK's chain for everything else (a shared config profile here).
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultCredentials } from "../../sidecar/credentials";

describe("sidecar: credentials", function () {
  let server: Server | undefined;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "sqsd-creds-"));
  });
  afterEach(() => {
    server?.close();
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A container credentials endpoint: answers with keys numbered by request, expiring at `expiresAt()`. */
  async function endpoint(expiresAt: () => number): Promise<{ url: string; auth: string[] }> {
    const auth: string[] = [];
    server = createServer((req, res) => {
      auth.push(req.headers.authorization ?? "");
      res.end(JSON.stringify({ AccessKeyId: `AKID${auth.length}`, SecretAccessKey: "secret", Token: "token", Expiration: new Date(expiresAt()).toISOString() }));
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/creds`, auth };
  }

  it("takes the environment's keys first", async () => {
    const creds = await defaultCredentials("us-east-1", { HOME: dir, AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "s", AWS_SESSION_TOKEN: "t", AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://127.0.0.1:1/" })();
    assert.deepEqual(creds, { accessKeyId: "AKID", secretAccessKey: "s", sessionToken: "t" });
  });

  it("reads the container endpoint with its token (from the file), and again only when the keys are about to expire", async () => {
    let now = Date.UTC(2026, 0, 1);
    const ep = await endpoint(() => now + 60 * 60_000);
    writeFileSync(join(dir, "token"), "the-token\n");
    const source = defaultCredentials("us-east-1", { HOME: dir, AWS_CONTAINER_CREDENTIALS_FULL_URI: ep.url, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(dir, "token") }, () => now);
    assert.equal((await source()).accessKeyId, "AKID1");
    now += 50 * 60_000; // 10 minutes left: still good
    assert.equal((await source()).accessKeyId, "AKID1");
    now += 6 * 60_000; // 4 minutes left: fetched again
    const again = await source();
    assert.deepEqual(again, { accessKeyId: "AKID2", secretAccessKey: "secret", sessionToken: "token", expiresAt: now + 60 * 60_000 });
    assert.deepEqual(ep.auth, ["the-token", "the-token"]);
  });

  it("keeps valid keys when a refresh fails, and fails once they have expired", async () => {
    let now = Date.UTC(2026, 0, 1);
    const ep = await endpoint(() => now + 10 * 60_000);
    const source = defaultCredentials("us-east-1", { HOME: dir, AWS_CONTAINER_CREDENTIALS_FULL_URI: ep.url }, () => now);
    assert.equal((await source()).accessKeyId, "AKID1");
    server!.close();
    server = undefined;
    now += 7 * 60_000; // 3 minutes left, and the endpoint is gone
    assert.equal((await source()).accessKeyId, "AKID1");
    now += 4 * 60_000;
    await assert.rejects(source(), /cannot get credentials from the container endpoint/);
  });

  it("refuses a plain-http container endpoint that is neither loopback nor ECS's", () => {
    assert.throws(() => defaultCredentials("us-east-1", { HOME: dir, AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://example.com/creds" }), /plain http is allowed/);
  });

  it("leaves a shared config profile to the SDK's chain, as the SDK would pick it before the container endpoint", async () => {
    writeFileSync(join(dir, "credentials"), "[default]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = fromfile\n");
    const source = defaultCredentials("us-east-1", { HOME: dir, AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"), AWS_CONFIG_FILE: join(dir, "config"), AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://127.0.0.1:1/" });
    const saved = { ...process.env };
    // The SDK's chain reads the process environment itself.
    for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
    Object.assign(process.env, { AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"), AWS_CONFIG_FILE: join(dir, "config"), AWS_EC2_METADATA_DISABLED: "true" });
    try {
      assert.equal((await source()).accessKeyId, "AKIDFROMFILE");
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});
