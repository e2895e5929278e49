/**
 * Configuration: Beanstalk names, simple-sqsd aliases, flags, defaults, and the errors
 * that name the variable, the value and the allowed range.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, VERSION, loadConfig, regionFromQueueUrl } from "../../sidecar/config";
import { packageVersion } from "../../sidecar/version";
import { OPTIONS } from "../../sidecar/options";
import { PEER_VARIABLES, peerVariablesSet } from "../../sidecar/peer-variables";

const QUEUE = "https://sqs.eu-west-1.amazonaws.com/000000000000/jobs";

function problems(env: Record<string, string>, flags = {}): string[] {
  try {
    loadConfig(flags, env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  assert.fail("expected a ConfigError");
}

describe("sidecar config", () => {
  it("applies the Beanstalk defaults of the spec", () => {
    const c = loadConfig({}, { WorkerQueueURL: QUEUE });
    assert.equal(c.httpPath, "/");
    assert.equal(c.appOrigin, "http://127.0.0.1", "port 80, as Beanstalk");
    assert.equal(c.mimeType, "application/json");
    assert.equal(c.httpConnections, 50);
    assert.equal(c.connectTimeoutMs, 5000);
    assert.equal(c.inactivityTimeoutMs, 299_000);
    assert.equal(c.visibilityTimeout, 300);
    assert.equal(c.errorVisibilityTimeout, 2);
    assert.equal(c.retentionPeriodMs, 345_600_000);
    assert.equal(c.maxRetries, 10);
    assert.equal(c.successStatus, "200");
    assert.equal(c.maxMessages, 10);
    assert.equal(c.waitTimeSeconds, 20);
    assert.equal(c.region, "eu-west-1", "region from the queue URL");
    assert.equal(c.queueName, "jobs");
    assert.equal(c.fifo, false);
    assert.match(c.userAgent, /^aws-sqsd\//);
  });

  it("reads the simple-sqsd variables of the blog's manifest unchanged", () => {
    const c = loadConfig(
      {},
      {
        SQSD_QUEUE_URL: "http://127.0.0.1:9324/000000000000/orders.fifo",
        SQSD_QUEUE_REGION: "us-west-2",
        SQSD_HTTP_URL: "http://localhost:8080/process",
        SQSD_HTTP_CONTENT_TYPE: "application/x-www-form-urlencoded",
        SQSD_QUEUE_MAX_MSGS: "5",
        SQSD_QUEUE_WAIT_TIME: "10",
        SQSD_HTTP_MAX_CONNS: "25",
        SQSD_HTTP_TIMEOUT: "30",
        SQSD_AWS_ENDPOINT: "http://127.0.0.1:9324",
        SQSD_HTTP_HEALTH_PATH: "/health",
        SQSD_HTTP_HMAC_HEADER: "X-Sig",
        SQSD_HMAC_SECRET_KEY: "k",
        SQSD_HTTP_USER_AGENT: "my-worker",
      },
    );
    assert.equal(c.region, "us-west-2");
    assert.equal(c.appOrigin, "http://localhost:8080");
    assert.equal(c.httpPath, "/process");
    assert.equal(c.mimeType, "application/x-www-form-urlencoded");
    assert.equal(c.maxMessages, 5);
    assert.equal(c.waitTimeSeconds, 10);
    assert.equal(c.httpConnections, 25);
    assert.equal(c.inactivityTimeoutMs, 30_000);
    assert.equal(c.endpoint, "http://127.0.0.1:9324");
    assert.equal(c.healthCheckPath, "/health");
    assert.equal(c.hmacHeader, "X-Sig");
    assert.equal(c.hmacSecret, "k");
    assert.match(c.userAgent, /^aws-sqsd\/.* my-worker$/);
    assert.equal(c.fifo, true);
  });

  it("prefers flags over Beanstalk names over aliases", () => {
    const env = { WorkerQueueURL: QUEUE, HttpConnections: "7", SQSD_HTTP_MAX_CONNS: "9" };
    assert.equal(loadConfig({}, env).httpConnections, 7);
    assert.equal(loadConfig({ HttpConnections: "3" }, env).httpConnections, 3);
    assert.equal(loadConfig({}, { WorkerQueueURL: QUEUE, SQSD_HTTP_MAX_CONNS: "9" }).httpConnections, 9);
  });

  it("HttpPath replaces the path of HttpUrl", () => {
    const c = loadConfig({}, { WorkerQueueURL: QUEUE, HttpUrl: "http://127.0.0.1:5000/ignored", HttpPath: "/jobs" });
    assert.equal(c.appOrigin + c.httpPath, "http://127.0.0.1:5000/jobs");
  });

  it("names the variable, the value and the range of every bad value at once", () => {
    const p = problems({ WorkerQueueURL: QUEUE, HttpConnections: "101", SQSD_QUEUE_WAIT_TIME: "0", VisibilityTimeout: "abc", ConnectTimeout: "1.5" });
    assert.equal(p.length, 4);
    assert.match(p.find((x) => x.startsWith("HttpConnections="))!, /"101".*from 1 to 100/);
    assert.match(p.find((x) => x.startsWith("SQSD_QUEUE_WAIT_TIME="))!, /"0".*from 1 to 20 seconds/);
    assert.match(p.find((x) => x.startsWith("VisibilityTimeout="))!, /"abc".*from 0 to 43200 seconds/);
    assert.match(p.find((x) => x.startsWith("ConnectTimeout="))!, /whole number/);
  });

  it("checks every numeric option's range at both ends", () => {
    for (const spec of OPTIONS) {
      if (!("min" in spec) || spec.name === "StatusPort") continue;
      const below = problems({ WorkerQueueURL: QUEUE, [spec.name]: String(spec.min - 1) });
      assert.equal(below.length, 1, `${spec.name} below its minimum`);
      assert.ok(below[0]!.startsWith(`${spec.name}=`));
      const above = problems({ WorkerQueueURL: QUEUE, [spec.name]: String(spec.max + 1) });
      assert.equal(above.length, 1, `${spec.name} above its maximum`);
      assert.doesNotThrow(() => loadConfig({}, { WorkerQueueURL: QUEUE, [spec.name]: String(spec.max) }));
    }
  });

  it("requires a queue URL and a region, and says how to set them", () => {
    assert.match(problems({})[0]!, /WorkerQueueURL is required: set WorkerQueueURL or SQSD_QUEUE_URL, or pass --queue-url/);
    assert.match(problems({ WorkerQueueURL: "http://127.0.0.1:9324/000000000000/q" })[0]!, /Region is required/);
  });

  it("rejects malformed URLs, paths and enums", () => {
    assert.match(problems({ WorkerQueueURL: "not a url" })[0]!, /WorkerQueueURL=.*absolute URL/);
    assert.match(problems({ WorkerQueueURL: QUEUE, HttpPath: "jobs" })[0]!, /HttpPath=.*starting with \//);
    assert.match(problems({ WorkerQueueURL: QUEUE, SuccessStatus: "3xx" })[0]!, /one of 200, 2xx/);
    assert.match(problems({ WorkerQueueURL: QUEUE, Metrics: "maybe" })[0]!, /true or false/);
  });

  it("rejects header names that are not HTTP tokens or that the daemon sets itself, and a header value with a line break", () => {
    assert.match(problems({ WorkerQueueURL: QUEUE, HmacHeader: "X Sig" })[0]!, /HmacHeader="X Sig": must be an HTTP header name/);
    assert.match(problems({ WorkerQueueURL: QUEUE, SQSD_HTTP_AUTHORIZATION_HEADER_NAME: "X-Aws-Sqsd-Msgid" })[0]!, /SQSD_HTTP_AUTHORIZATION_HEADER_NAME="X-Aws-Sqsd-Msgid": is a header the daemon sets itself/);
    assert.match(problems({ WorkerQueueURL: QUEUE, AuthorizationHeaderName: "content-type" })[0]!, /is a header the daemon sets itself/);
    assert.match(problems({ WorkerQueueURL: QUEUE, AuthorizationHeaderName: "X-Aws-Sqsd-Attr-user" })[0]!, /is a header the daemon sets itself/);
    assert.match(problems({ WorkerQueueURL: QUEUE, AuthorizationHeader: "Bearer a\r\nX-Evil: 1" })[0]!, /AuthorizationHeader: holds a line break/);
    const clash = { WorkerQueueURL: QUEUE, AuthorizationHeader: "k", AuthorizationHeaderName: "X-Sig", HmacSecret: "s", HmacHeader: "x-sig" };
    assert.match(problems(clash)[0]!, /AuthorizationHeaderName and HmacHeader are both "X-Sig"/);
    assert.equal(loadConfig({}, { WorkerQueueURL: QUEUE, HmacHeader: "X-Aws-Sqsd-Hmac" }).hmacHeader, "X-Aws-Sqsd-Hmac", "the default HMAC header is allowed");
    assert.equal(loadConfig({}, { WorkerQueueURL: QUEUE }).authorization, undefined);
  });

  it("every variable simple-sqsd reads is an option's alias, or refused or warned about with the reason", () => {
    // os.Getenv names in fterrag/simple-sqsd's cmd/simplesqsd (commit d352157), the image the ECS worker blog runs.
    const simpleSqsd = [
      "SQSD_QUEUE_REGION", "SQSD_QUEUE_URL", "SQSD_QUEUE_MAX_MSGS", "SQSD_QUEUE_WAIT_TIME", "SQSD_HTTP_MAX_CONNS", "SQSD_HTTP_URL",
      "SQSD_HTTP_CONTENT_TYPE", "SQSD_HTTP_USER_AGENT", "SQSD_HTTP_HEALTH_PATH", "SQSD_HTTP_HEALTH_WAIT", "SQSD_HTTP_HEALTH_INTERVAL",
      "SQSD_HTTP_HEALTH_SUCCESS_COUNT", "SQSD_HTTP_TIMEOUT", "SQSD_AWS_ENDPOINT", "SQSD_HTTP_HMAC_HEADER", "SQSD_HTTP_AUTHORIZATION_HEADER",
      "SQSD_HTTP_AUTHORIZATION_HEADER_NAME", "SQSD_HMAC_SECRET_KEY", "SQSD_SQS_HTTP_TIMEOUT", "SQSD_HTTP_SSL_VERIFY", "SQSD_CRON_FILE",
      "SQSD_CRON_ENDPOINT", "SQSD_CRON_TIMEOUT",
    ];
    const aliases = new Set<string>(OPTIONS.flatMap((o) => ("aliases" in o ? [...o.aliases] : [])));
    const peers = new Map(PEER_VARIABLES.map((p) => [p.variable, p]));
    assert.deepEqual(simpleSqsd.filter((v) => !aliases.has(v) && !peers.has(v)), [], "read by neither an option nor the peer table");
    assert.deepEqual(simpleSqsd.filter((v) => aliases.has(v) && peers.has(v)), [], "in both");
    const c = loadConfig({}, { SQSD_QUEUE_URL: QUEUE, SQSD_HTTP_AUTHORIZATION_HEADER: "Bearer x", SQSD_HTTP_SSL_VERIFY: "false", SQSD_HTTP_HEALTH_WAIT: "5", SQSD_SQS_HTTP_TIMEOUT: "15" });
    assert.deepEqual(c.authorization, { name: "Authorization", value: "Bearer x" });
    assert.equal(c.tlsVerify, false);
    assert.equal(loadConfig({}, { SQSD_QUEUE_URL: QUEUE }).tlsVerify, true);
    assert.deepEqual(peerVariablesSet({ SQSD_HTTP_HEALTH_WAIT: "5", SQSD_CRON_TIMEOUT: "" }).map((p) => p.variable), ["SQSD_HTTP_HEALTH_WAIT"], "an empty variable is unset");
    assert.match(problems({ SQSD_QUEUE_URL: QUEUE, SQSD_CRON_FILE: "cron.yaml", SQSD_CRON_ENDPOINT: "http://127.0.0.1:8080" }).join("\n"), /^SQSD_CRON_FILE="cron\.yaml": .*cronFile/);
  });

  it("turns task protection on only inside ECS unless told otherwise", () => {
    assert.equal(loadConfig({}, { WorkerQueueURL: QUEUE }).taskProtection, false);
    assert.equal(loadConfig({}, { WorkerQueueURL: QUEUE, ECS_AGENT_URI: "http://169.254.170.2/api/x" }).taskProtection, true);
    assert.equal(loadConfig({ TaskProtection: "off" }, { WorkerQueueURL: QUEUE, ECS_AGENT_URI: "http://169.254.170.2/api/x" }).taskProtection, false);
    assert.throws(() => loadConfig({}, { WorkerQueueURL: QUEUE, TaskProtection: "on" }), /TaskProtection=on needs ECS_AGENT_URI/);
  });

  it("finds the region in AWS queue URLs", () => {
    assert.equal(regionFromQueueUrl("https://sqs.ap-southeast-2.amazonaws.com/000000000000/q"), "ap-southeast-2");
    assert.equal(regionFromQueueUrl("https://us-east-2.queue.amazonaws.com/000000000000/q"), "us-east-2");
    assert.equal(regionFromQueueUrl("http://127.0.0.1:9324/000000000000/q"), undefined);
  });
});

describe("sidecar version", () => {
  it("is package.json's version (the User-Agent and --version name it; the bundle has no package.json to read)", () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string };
    assert.equal(VERSION, pkg.version);
  });

  it("is read from the package.json named sqsd-worker above the code, wherever that is installed", () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string };
    assert.equal(packageVersion(join(__dirname, "..", "..", "sidecar")), pkg.version);
    assert.equal(packageVersion(join(__dirname, "..", "..", "dist", "sidecar")), pkg.version, "from the tsc build");
    assert.throws(() => packageVersion(tmpdir()), /package.json not found/);
  });
});
