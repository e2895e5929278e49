/**
 * `migrate beanstalk` on an app repository (ebextensions in the map and list forms, a JSON one,
 * a saved configuration, cron.yaml) and on describe-configuration-settings output: precedence,
 * what each setting became, and the round trip: the generated program, run under Pulumi mocks,
 * gives the sidecar, the queue and the schedules the values Beanstalk had.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { toSchedulerCron } from "../../component/cron";
import { CASES, containerEnv, FIXTURES, generate, input, runProgram } from "./helpers";

const TD = "aws:ecs/taskDefinition:TaskDefinition";
const Q = "aws:sqs/queue:Queue";

const [appCase, describeCase] = CASES;

describe("migrate beanstalk: an app repository", function () {
  this.timeout(120_000);
  const { migration: m, dir } = generate(appCase!.name, "beanstalk", appCase!.paths);
  const row = (key: string) => m.plan.rows.find((r) => r.key === key) ?? assert.fail(`no row ${key}`);

  it("reads the files in Beanstalk's precedence: ebextensions alphabetically, then the saved configuration", () => {
    assert.deepEqual(
      m.plan.inputs.map((i) => path.basename(i.split(" ")[0] as string)),
      ["01-worker.config", "02-capacity.config", "03-observability.config", "reports-worker-prod.cfg.yml", "cron.yaml"],
    );
    // 02 (list form) over 01 (map form); the saved configuration over both.
    assert.equal(row("aws:elasticbeanstalk:sqsd HttpConnections").value, "25");
    assert.match(row("aws:elasticbeanstalk:sqsd HttpConnections").note, /overrides .*01-worker\.config:6/);
    assert.equal(row("aws:elasticbeanstalk:sqsd MaxRetries").value, "8");
    assert.match(row("aws:elasticbeanstalk:sqsd MaxRetries").source, /reports-worker-prod\.cfg\.yml:9$/);
    assert.equal(row("aws:autoscaling:asg MaxSize").value, "8");
  });

  it("takes the list form without a namespace as an environment property, and the JSON file's secrets as ContainerSecrets", () => {
    assert.deepEqual(row("aws:elasticbeanstalk:application:environment WORKER_CONCURRENCY").args, ["app.environment.WORKER_CONCURRENCY"]);
    const app = m.plan.workers[0]?.args.get("dev")?.app as Record<string, unknown>;
    assert.deepEqual(app.secrets, {
      DATABASE_URL: { secretsManagerArn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/reports/db-url-Xy12Ab" },
      STRIPE_KEY: { ssmParameter: "arn:aws:ssm:eu-west-1:111122223333:parameter/prod/reports/stripe-key" },
    });
    assert.deepEqual(app.build, { context: "../../../test/migrate/fixtures/beanstalk-app" }, "relative to the program's folder");
    assert.equal(app.port, 8080, "the Dockerfile's EXPOSE");
  });

  it("sizes, spreads and deploys as Beanstalk did, stating each rule", () => {
    const args = m.plan.workers[0]?.args.get("dev") as Record<string, unknown>;
    assert.equal(args.cpu, 2048);
    assert.equal(args.memory, 4096);
    assert.match(row("aws:autoscaling:launchconfiguration InstanceType").note, /t3\.medium: 2 vCPU, 4 GiB → cpu 2048, memory 4096/);
    assert.deepEqual(args.scaling, { minCount: 1, maxCount: 8, scaleInCooldown: 600, scaleOutCooldown: 600, targetCpuPercent: 75 });
    assert.deepEqual(args.capacityProviders, [
      { capacityProvider: "FARGATE", base: 1, weight: 3 },
      { capacityProvider: "FARGATE_SPOT", weight: 7 },
    ]);
    assert.deepEqual(args.deployment, { maxPercent: 150 });
    assert.equal(m.plan.regions.get("dev"), "eu-west-1");
  });

  it("lists the other sections of the files, and never the scheduled actions as carried", () => {
    for (const key of ["02-capacity.config: packages", "02-capacity.config: container_commands", "03-observability.config: Resources", "reports-worker-prod.cfg.yml: Platform"]) row(key);
    for (const r of m.plan.rows.filter((x) => x.key.startsWith("aws:autoscaling:scheduledaction"))) assert.equal(r.outcome, "not carried over", r.key);
    assert.deepEqual(m.problems, [], "the component accepts the generated arguments");
  });

  it("round trip: under Pulumi mocks the sidecar gets the sqsd options Beanstalk had, the queue its retention, visibility and maxReceiveCount, and cron.yaml its schedules", async () => {
    const r = await runProgram(m, dir, "dev");
    // The winning values of the sqsd namespace (01-worker.config, 02-capacity.config, the saved configuration).
    const beanstalk = { HttpPath: "/jobs", MimeType: "application/json", HttpConnections: "25", ConnectTimeout: "10", InactivityTimeout: "600", VisibilityTimeout: "900", ErrorVisibilityTimeout: "30", RetentionPeriod: "604800", MaxRetries: "8" };
    const sidecar = containerEnv(r, "beanstalk-app").get("sqsd") ?? {};
    for (const [option, value] of Object.entries(beanstalk)) assert.equal(sidecar[option], value, option);
    assert.equal(input(r, Q, "beanstalk-app-queue", "messageRetentionSeconds"), 604800);
    assert.equal(input(r, Q, "beanstalk-app-queue", "visibilityTimeoutSeconds"), 900);
    assert.equal(input<{ maxReceiveCount: number }>(r, Q, "beanstalk-app-queue", "redrivePolicy").maxReceiveCount, 8);
    const cron = [
      ["nightly-report", "/tasks/nightly-report", "0 2 * * *"],
      ["hourly-cleanup", "/tasks/cleanup", "15 * * * *"],
    ];
    for (const [name, url, schedule] of cron) {
      const s = r.one("aws:scheduler/schedule:Schedule", `beanstalk-app-cron-${name}`).inputs;
      assert.equal(s.scheduleExpression, toSchedulerCron(schedule as string));
      assert.match(String(s.description), new RegExp(`→ POST ${url}$`));
    }
    assert.equal(readFileSync(path.join(dir, "cron.yaml"), "utf8"), readFileSync(path.join(FIXTURES, "beanstalk-app", "cron.yaml"), "utf8"), "cron.yaml is carried as it is");
    const target = r.one("aws:appautoscaling/target:Target", "beanstalk-app-scaling").inputs;
    assert.deepEqual([target.minCapacity, target.maxCapacity], [1, 8]);
    assert.deepEqual(containerEnv(r, "beanstalk-app").get("app"), { APP_ENV: "production", LOG_LEVEL: "info", REPORTS_BUCKET: "acme-reports-prod", WORKER_CONCURRENCY: "4" });
    assert.equal(r.one(TD, "beanstalk-app-task").inputs.cpu, "2048");
  });
});

describe("migrate beanstalk: describe-configuration-settings output", function () {
  this.timeout(120_000);
  const { migration: m, dir } = generate(describeCase!.name, "beanstalk", describeCase!.paths);
  const row = (key: string) => m.plan.rows.find((r) => r.key === key) ?? assert.fail(`no row ${key}`);

  it("names the component, the project and the stack after the environment", () => {
    assert.equal(m.plan.workers[0]?.name, "billing-worker-prod");
    assert.equal(m.plan.project, "billing");
    assert.deepEqual(m.plan.stacks, ["billing-worker-prod"]);
    assert.equal(m.plan.regions.get("billing-worker-prod"), "us-east-2");
  });

  it("keeps a queue of the user's own (existingQueue) and leaves its attributes to it", () => {
    assert.deepEqual(row("aws:elasticbeanstalk:sqsd WorkerQueueURL").args, ["existingQueue.url", "existingQueue.arn"]);
    for (const o of ["RetentionPeriod", "VisibilityTimeout"]) assert.equal(row(`aws:elasticbeanstalk:sqsd ${o}`).outcome, "not carried over");
  });

  it("hides a secret-looking environment property: secret stack config, not in index.ts or MIGRATION.md", () => {
    assert.equal(row("aws:elasticbeanstalk:application:environment SMTP_PASSWORD").value, "(hidden)");
    for (const f of ["index.ts", "MIGRATION.md", "Pulumi.billing-worker-prod.yaml"]) assert.doesNotMatch(m.files.get(f) ?? "", /hunter2/, f);
    assert.match(m.files.get("index.ts") ?? "", /SMTP_PASSWORD: config\.requireSecret\("SMTP_PASSWORD"\)/);
  });

  it("reports a namespace it does not know as unknown, and Beanstalk's internal ones with a reason", () => {
    assert.equal(row("aws:elasticbeanstalk:customoption InvoiceFormat").outcome, "unknown");
    assert.equal(row("aws:cloudformation:template:parameter EnvironmentVariables").outcome, "not carried over");
    assert.equal(row("aws:elasticbeanstalk:container:nodejs ProxyServer").outcome, "not carried over");
  });

  it("runs under mocks in the given VPC, on Graviton, with the app's PORT and the health check path", async () => {
    const r = await runProgram(m, dir, "billing-worker-prod");
    const service = r.one("aws:ecs/service:Service", "billing-worker-prod-service").inputs as { desiredCount: number; networkConfiguration: { subnets: string[] } };
    assert.equal(service.desiredCount, 2);
    assert.deepEqual(service.networkConfiguration.subnets, ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]);
    const td = r.one(TD, "billing-worker-prod-task").inputs as { runtimePlatform: { cpuArchitecture: string }; cpu: string; memory: string };
    assert.equal(td.runtimePlatform.cpuArchitecture, "ARM64");
    assert.deepEqual([td.cpu, td.memory], ["2048", "4096"]);
    const sidecar = containerEnv(r, "billing-worker-prod").get("sqsd") ?? {};
    assert.equal(sidecar.HttpUrl, "http://127.0.0.1:8081/");
    assert.equal(sidecar.HealthCheckPath, "/healthz");
    assert.equal(sidecar.WorkerQueueURL, "https://sqs.us-east-2.amazonaws.com/444455556666/billing-render-jobs");
    assert.equal(sidecar.MaxRetries, "7");
    assert.equal(r.ofType(Q).length, 0, "no queue created");
  });
});
