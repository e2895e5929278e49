/**
 * `migrate copilot` on a Worker Service with environments, topics (a filter policy; a queue of
 * its own), scaling on the queue, secrets, EFS and a sidecar; and on the ECS worker blog's
 * manifest, whose simple-sqsd container (added with taskdef_overrides) becomes the built-in
 * sidecar. Each environment is a stack, run under Pulumi mocks.
 */
import assert from "node:assert/strict";
import { sqsdVariable } from "../../migrate/sqsd-variables";
import { ArgsTree, type ArgMap } from "../../migrate/values";
import { CASES, containerEnv, generate, input, runProgram } from "./helpers";

const [, , ordersCase, blogCase] = CASES;
const SERVICE = "aws:ecs/service:Service";
const TARGET = "aws:appautoscaling/target:Target";

describe("migrate copilot: a Worker Service with environments and topics", function () {
  this.timeout(120_000);
  const { migration: m, dir } = generate(ordersCase!.name, "copilot", ordersCase!.paths);
  const row = (key: string) => m.plan.rows.find((r) => r.key === key) ?? assert.fail(`no row ${key}`);

  it("makes each environment a stack, and what differs stack config", () => {
    assert.deepEqual(m.plan.stacks, ["test", "prod"]);
    assert.deepEqual(m.split.stackConfig.get("test"), { appEnvironmentLOG_LEVEL: "debug", cpu: 512, memory: 1024, scalingMinCount: 0, scalingMaxCount: 2 });
    assert.deepEqual(m.split.stackConfig.get("prod"), { appEnvironmentLOG_LEVEL: "warn", cpu: 1024, memory: 2048, scalingMinCount: 2, scalingMaxCount: 20 });
    assert.match(m.files.get("index.ts") ?? "", /minCount: config\.requireNumber\("scalingMinCount"\)/);
    assert.equal(row("environments.prod.count.range").source.split(":").pop(), "123");
  });

  it("converts Copilot's durations and states the rules that change a value", () => {
    assert.match(row("count.cooldown.out").note, /60 s → 360 s/);
    assert.match(row("count.queue_delay.msg_processing_time").note, /0\.25 s/);
    assert.equal(row("subscribe.topics[1].queue.retention").args[0], "orders-worker-orderRefunded: queue.retentionSeconds");
    assert.equal(m.plan.workers[1]?.name, "orders-worker-orderRefunded");
  });

  it("stack prod under mocks: scaling on the queue, the task size, the topic with a filter policy, the topic with its own worker and queue", async () => {
    const r = await runProgram(m, dir, "prod");
    const target = r.one(TARGET, "orders-worker-scaling").inputs;
    assert.deepEqual([target.minCapacity, target.maxCapacity], [2, 20]);
    const td = r.one("aws:ecs/taskDefinition:TaskDefinition", "orders-worker-task").inputs;
    assert.deepEqual([td.cpu, td.memory], ["1024", "2048"]);
    assert.equal(containerEnv(r, "orders-worker").get("app")?.LOG_LEVEL, "warn");
    assert.deepEqual(input(r, "aws:sns/topicSubscription:TopicSubscription", "orders-worker-sns-0", "filterPolicy"), { store: ["example_corp"], price_usd: [{ numeric: [">=", 100] }] });
    assert.equal(r.one("aws:sns/topicSubscription:TopicSubscription", "orders-worker-sns-0").inputs.topic, "arn:aws:sns:us-east-1:123456789012:orderCreated");
    const queue = r.one("aws:sqs/queue:Queue", "orders-worker-queue").inputs;
    assert.deepEqual([queue.messageRetentionSeconds, queue.visibilityTimeoutSeconds, queue.delaySeconds], [604800, 300, 0]);
    assert.equal(input<{ maxReceiveCount: number }>(r, "aws:sqs/queue:Queue", "orders-worker-queue", "redrivePolicy").maxReceiveCount, 5);
    const own = r.one("aws:sqs/queue:Queue", "orders-worker-orderRefunded-queue").inputs;
    assert.deepEqual([own.messageRetentionSeconds, own.visibilityTimeoutSeconds], [345600, 120]);
    assert.equal(input<{ maxReceiveCount: number }>(r, "aws:sqs/queue:Queue", "orders-worker-orderRefunded-queue", "redrivePolicy").maxReceiveCount, 3);
    assert.equal(r.one("aws:sns/topicSubscription:TopicSubscription", "orders-worker-orderRefunded-sns-0").inputs.topic, "arn:aws:sns:us-east-1:123456789012:orderRefunded");
    const service = r.one(SERVICE, "orders-worker-service").inputs as { enableExecuteCommand: boolean };
    assert.equal(service.enableExecuteCommand, true);
  });

  it("stack test under mocks: its own range, from zero", async () => {
    const r = await runProgram(m, dir, "test");
    const target = r.one(TARGET, "orders-worker-scaling").inputs;
    assert.deepEqual([target.minCapacity, target.maxCapacity], [0, 2]);
    assert.equal(containerEnv(r, "orders-worker").get("app")?.LOG_LEVEL, "debug");
  });
});

describe("migrate copilot: the ECS worker blog's manifest (simple-sqsd through taskdef_overrides)", function () {
  this.timeout(120_000);
  const { migration: m, dir } = generate(blogCase!.name, "copilot", blogCase!.paths);
  const row = (key: string) => m.plan.rows.find((r) => r.key === key) ?? assert.fail(`no row ${key}`);

  it("carries the SQSD_* variables to the built-in sidecar and drops the container", () => {
    assert.deepEqual(row("taskdef_overrides[0].value.Environment[2]").args, ["app.port", "app.httpPath"]);
    assert.equal(row("taskdef_overrides[0].value.Image").outcome, "not carried over");
    assert.equal(row("taskdef_overrides[0].value.Environment[0]").outcome, "not carried over", "the queue is the component's");
    assert.equal(row("taskdef_overrides[1].value").outcome, "not carried over");
  });

  it("a fixed count in test and a range in prod: stack config objects in TypeScript", async () => {
    assert.match(m.files.get("index.ts") ?? "", /scaling: config\.getObject<NonNullable<WorkerEnvironmentArgs\["scaling"\]>>\("scaling"\)/);
    const test = await runProgram(m, dir, "test");
    assert.equal((test.one(SERVICE, "thumbnails-service").inputs as { desiredCount: number }).desiredCount, 1);
    assert.equal(test.ofType(TARGET).length, 0);
    const sidecar = containerEnv(test, "thumbnails").get("sqsd") ?? {};
    assert.deepEqual([sidecar.HttpUrl, sidecar.HttpPath, sidecar.MimeType, sidecar.HttpConnections, sidecar.InactivityTimeout, sidecar.HealthCheckPath], ["http://127.0.0.1:8080/", "/thumbnail", "application/json", "10", "45", "/healthz"]);
    const prod = await runProgram(m, dir, "prod");
    const target = prod.one(TARGET, "thumbnails-scaling").inputs;
    assert.deepEqual([target.minCapacity, target.maxCapacity], [1, 4]);
  });

  it("--format yaml is refused, naming the values Pulumi YAML config cannot hold", () => {
    assert.throws(() => generate(blogCase!.name, "copilot", blogCase!.paths, "yaml"), (err: Error & { problems?: string[] }) => {
      assert.match(err.problems?.[0] ?? "", /desiredCount \(test: 1; prod: unset\); scaling \(test: unset; prod: \{"minCount":1/);
      assert.match(err.problems?.[0] ?? "", /Use --format ts/);
      return true;
    });
  });
});

describe("migrate copilot: simple-sqsd variables beyond the blog's", () => {
  const decide = (variable: string, value: string | undefined, secret?: ArgMap) => {
    const args = new ArgsTree();
    return { ...sqsdVariable(variable, value, secret, args), tree: args.root };
  };

  it("a credential (the authorization header) is carried only from a secret, into sidecar.secrets", () => {
    const plain = decide("SQSD_HTTP_AUTHORIZATION_HEADER", "Bearer x");
    assert.equal(plain.outcome, "not carried over");
    assert.equal(plain.secret, true, "the value is hidden in the report");
    assert.match(plain.note, /sidecar\.secrets\.AuthorizationHeader/);
    assert.deepEqual(plain.tree, {});
    const fromSecret = decide("SQSD_HTTP_AUTHORIZATION_HEADER", undefined, { secretsManager: "arn-of-the-secret" });
    assert.deepEqual(fromSecret.args, ["sidecar.secrets.AuthorizationHeader"]);
    assert.deepEqual(fromSecret.tree, { sidecar: { secrets: { AuthorizationHeader: { secretsManager: "arn-of-the-secret" } } } });
    assert.deepEqual(decide("SQSD_HTTP_SSL_VERIFY", "false").tree, { sidecar: { environment: { TlsVerify: "false" } } });
  });

  it("SQSD_CRON_FILE and the variables the sidecar does not need are not carried over, saying why", () => {
    assert.match(decide("SQSD_CRON_FILE", "/app/cron.yaml").note, /cronFile/);
    assert.match(decide("SQSD_SQS_HTTP_TIMEOUT", "15").note, /not needed.*would warn/);
    for (const v of ["SQSD_CRON_FILE", "SQSD_CRON_ENDPOINT", "SQSD_HTTP_HEALTH_WAIT"]) assert.deepEqual(decide(v, "1").tree, {}, v);
  });
});
