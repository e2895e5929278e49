import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { build, minimal, valueOf, ACCOUNT, REGION } from "./mocks";

const SVC = "aws:ecs/service:Service";

describe("network, cluster and service", () => {
  it("creates a VPC with private subnets and runs tasks there without public IPs", async () => {
    const s = await build({ ...minimal(), vpc: { natStrategy: "OnePerAz", numberOfAvailabilityZones: 3 } });
    const vpc = s.one("awsx:ec2:Vpc").inputs;
    assert.deepEqual(vpc.natGateways, { strategy: "OnePerAz" });
    // Pinned, so awsx's announced default change cannot re-lay (replace) the subnets.
    assert.equal(vpc.subnetStrategy, "Legacy");
    assert.equal(vpc.numberOfAvailabilityZones, 3);
    const net = s.one(SVC).inputs.networkConfiguration as { subnets: string[]; securityGroups: string[]; assignPublicIp: boolean };
    assert.deepEqual(net.subnets, ["subnet-priv-a", "subnet-priv-b"]);
    assert.equal(net.assignPublicIp, false);
    assert.deepEqual(net.securityGroups, [`${s.prefix}-tasks-id`]);
    const sg = s.one("aws:ec2/securityGroup:SecurityGroup", "tasks").inputs;
    assert.equal(sg.ingress, undefined);
    assert.equal(sg.vpcId, "vpc-0fake");
  });

  it("defaults to a single NAT gateway, and no endpoints", async () => {
    // The same count sees the endpoints when they are asked for.
    assert.equal((await build({ ...minimal(), vpcEndpoints: true })).count("aws:ec2/vpcEndpoint:VpcEndpoint"), 6, "5 interface endpoints and S3");
    const s = await build(minimal());
    assert.deepEqual(s.one("awsx:ec2:Vpc").inputs.natGateways, { strategy: "Single" });
    assert.equal(s.count("aws:ec2/vpcEndpoint:VpcEndpoint"), 0);
  });

  it("uses the user's VPC and subnets, creating no VPC", async () => {
    assert.equal((await build(minimal())).count("awsx:ec2:Vpc"), 1, "a VPC is seen when the component creates one");
    const s = await build({ ...minimal(), vpcId: "vpc-byo", subnetIds: ["subnet-byo-1"] });
    assert.equal(s.count("awsx:ec2:Vpc"), 0);
    assert.deepEqual((s.one(SVC).inputs.networkConfiguration as { subnets: string[] }).subnets, ["subnet-byo-1"]);
    assert.equal(await valueOf(s.env.vpcId), "vpc-byo");
  });

  it("adds interface endpoints and an S3 gateway endpoint with their security group", async () => {
    const s = await build({ ...minimal(), vpc: { natStrategy: "None" }, vpcEndpoints: true, enableExecuteCommand: true });
    const endpoints = s.ofType("aws:ec2/vpcEndpoint:VpcEndpoint");
    const names = endpoints.map((e) => String(e.inputs.serviceName)).sort();
    assert.deepEqual(names, ["ecr.api", "ecr.dkr", "logs", "s3", "sqs", "ssmmessages", "sts"].map((n) => `com.amazonaws.${REGION}.${n}`));
    const interfaces = endpoints.filter((x) => x.inputs.vpcEndpointType === "Interface");
    assert.deepEqual(interfaces.map((e) => e.name).sort(), ["ecr-api", "ecr-dkr", "logs", "sqs", "ssmmessages", "sts"].map((n) => `${s.prefix}-${n}`));
    for (const e of interfaces) {
      assert.equal(e.inputs.privateDnsEnabled, true);
      assert.deepEqual(e.inputs.subnetIds, ["subnet-priv-a", "subnet-priv-b"]);
      assert.deepEqual(e.inputs.securityGroupIds, [`${s.prefix}-endpoints-id`]);
    }
    assert.deepEqual(s.one("aws:ec2/vpcEndpoint:VpcEndpoint", "s3").inputs.routeTableIds, ["rtb-fake-a", "rtb-fake-b"]);
    const sg = s.one("aws:ec2/securityGroup:SecurityGroup", "endpoints").inputs;
    assert.deepEqual(sg.ingress, [{ protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: [`${s.prefix}-tasks-id`], description: "tasks", self: false }].map(({ self: _s, ...r }) => r));
  });

  it("uses given route tables for the S3 endpoint in the user's VPC", async () => {
    const s = await build({ ...minimal(), vpcId: "vpc-byo", subnetIds: ["subnet-byo-1"], routeTableIds: ["rtb-byo"], vpcEndpoints: true });
    assert.deepEqual(s.one("aws:ec2/vpcEndpoint:VpcEndpoint", "s3").inputs.routeTableIds, ["rtb-byo"]);
  });

  it("creates a cluster with Container Insights and both Fargate capacity providers", async () => {
    const s = await build(minimal());
    assert.deepEqual(s.one("aws:ecs/cluster:Cluster").inputs.settings, [{ name: "containerInsights", value: "enabled" }]);
    assert.deepEqual(s.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders").inputs.capacityProviders, ["FARGATE", "FARGATE_SPOT"]);
  });

  it("uses an existing cluster, creating none", async () => {
    const created = await build(minimal());
    assert.equal(created.count("aws:ecs/cluster:Cluster"), 1, "a cluster is seen when the component creates one");
    assert.equal(created.count("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"), 1);
    const clusterArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/shared`;
    const s = await build({ ...minimal(), clusterArn });
    assert.equal(s.count("aws:ecs/cluster:Cluster"), 0);
    assert.equal(s.count("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"), 0);
    assert.equal(s.one(SVC).inputs.cluster, clusterArn);
    assert.equal(await valueOf(s.env.clusterName), "shared");
  });

  it("runs a Fargate service with circuit-breaker rollback", async () => {
    const s = await build(minimal());
    const svc = s.one(SVC).inputs;
    assert.equal(svc.launchType, "FARGATE");
    assert.deepEqual(svc.deploymentCircuitBreaker, { enable: true, rollback: true });
    assert.equal(svc.desiredCount, 1);
    assert.equal(svc.enableExecuteCommand, false);
    assert.equal(svc.taskDefinition, `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${s.prefix}:1`);
  });

  it("starts no task (and no schedule) before the roles' policies exist (IAM race on the first image pull)", async () => {
    const names = new Map<pulumi.Resource, string>();
    const dependsOn = new Map<string, unknown>();
    const doc = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::fake-bucket/*" }] });
    const s = await build(
      {
        ...minimal(),
        taskPolicyDocuments: [doc],
        taskPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
        periodicTasks: [{ name: "p", url: "/p", schedule: "@daily" }],
      },
      "depends-on-policies",
      {
        transformations: [
          (t) => {
            names.set(t.resource, `${t.type} ${t.name}`);
            dependsOn.set(t.type, t.opts.dependsOn);
            return undefined;
          },
        ],
      },
    );
    const name = s.prefix;
    const of = (type: string): Array<string | undefined> => {
      const list = dependsOn.get(type);
      assert.ok(Array.isArray(list), `${type} has dependsOn`);
      return (list as pulumi.Resource[]).map((r) => names.get(r)).sort();
    };
    assert.deepEqual(of(SVC), [
      `aws:iam/rolePolicy:RolePolicy ${name}-execution`,
      `aws:iam/rolePolicy:RolePolicy ${name}-task`,
      `aws:iam/rolePolicy:RolePolicy ${name}-task-extra-0`,
      `aws:iam/rolePolicyAttachment:RolePolicyAttachment ${name}-task-managed-0`,
    ]);
    assert.deepEqual(of("aws:scheduler/schedule:Schedule"), [`aws:iam/rolePolicy:RolePolicy ${name}-scheduler`]);
  });

  it("uses a FARGATE_SPOT / FARGATE capacity provider strategy instead of a launch type", async () => {
    const s = await build({ ...minimal(), capacityProviders: [{ capacityProvider: "FARGATE_SPOT", weight: 3 }, { capacityProvider: "FARGATE", weight: 1, base: 1 }] });
    const svc = s.one(SVC).inputs;
    assert.equal(svc.launchType, undefined);
    assert.deepEqual(svc.capacityProviderStrategies, [
      { capacityProvider: "FARGATE_SPOT", weight: 3, base: 0 },
      { capacityProvider: "FARGATE", weight: 1, base: 1 },
    ]);
  });
});
