/**
 * WorkerEnvironment: the Elastic Beanstalk worker environment on ECS Fargate. Wiring only;
 * each resource concept lives in its own module.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { WorkerEnvironmentArgs } from "./args";
import { createAlarms, createRollbackAlarms } from "./alarms";
import { createCluster } from "./cluster";
import { DEFAULT_COLLECTOR_IMAGE } from "./containers";
import { createDashboard } from "./dashboard";
import { createRoles } from "./iam";
import { createNetwork } from "./network";
import { createQueue, createQueuePolicy } from "./queue";
import { createScaling } from "./scaling";
import { createSchedules } from "./schedules";
import { createService } from "./service";
import { createSources } from "./sources";
import { createLogGroups, createTaskDefinition, defaultSidecarBuild, logGroupArns, resolveImage, resolveStartup, resolveVolumes } from "./task";
import { validateArgs } from "./validation";

/**
 * The Elastic Beanstalk worker environment on ECS Fargate: an SQS queue (with DLQ) feeding an
 * app container through the sqsd sidecar, queue-backlog autoscaling (to and from zero),
 * periodic tasks from cron.yaml, and SNS/EventBridge sources. See docs/component.md.
 */
export class WorkerEnvironment extends pulumi.ComponentResource {
  /** URL of the work queue. */
  public readonly queueUrl: pulumi.Output<string>;
  /** ARN of the work queue. */
  public readonly queueArn: pulumi.Output<string>;
  /** URL of the dead-letter queue (undefined for an existing queue without one). */
  public readonly dlqUrl: pulumi.Output<string | undefined>;
  /** ARN of the dead-letter queue. */
  public readonly dlqArn: pulumi.Output<string | undefined>;
  /** URL of the EventBridge targets' dead-letter queue (undefined without eventRules). */
  public readonly eventRulesDlqUrl: pulumi.Output<string | undefined>;
  /** Name of the ECS cluster (created or given). */
  public readonly clusterName: pulumi.Output<string>;
  /** ARN of the ECS cluster. */
  public readonly clusterArn: pulumi.Output<string>;
  /** Name of the ECS service. */
  public readonly serviceName: pulumi.Output<string>;
  /** ARN of the ECS service. */
  public readonly serviceArn: pulumi.Output<string>;
  /** ARN of the current task definition revision. */
  public readonly taskDefinitionArn: pulumi.Output<string>;
  /** ARN of the task role (sidecar + app permissions). */
  public readonly taskRoleArn: pulumi.Output<string>;
  /** ARN of the execution role (image pull, logs). */
  public readonly executionRoleArn: pulumi.Output<string>;
  /** Log group of the app container. */
  public readonly appLogGroupName: pulumi.Output<string>;
  /** Log group of the sqsd sidecar. */
  public readonly sidecarLogGroupName: pulumi.Output<string>;
  /** Security group of the tasks. */
  public readonly securityGroupId: pulumi.Output<string>;
  /** VPC of the tasks (created or given). */
  public readonly vpcId: pulumi.Output<string>;
  /** Subnets the tasks run in. */
  public readonly subnetIds: pulumi.Output<string[]>;
  /** Console URL of the CloudWatch dashboard (undefined with `dashboard.enabled: false`). */
  public readonly dashboardUrl: pulumi.Output<string | undefined>;

  constructor(name: string, args: WorkerEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sqsd-worker:index:WorkerEnvironment", name, {}, opts);
    // Before any child exists: an impossible combination fails the preview with every problem listed.
    const settings = validateArgs(name, args, { project: pulumi.getProject(), stack: pulumi.getStack() });
    const region = aws.getRegionOutput({}, { parent: this }).region;
    const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

    const network = createNetwork(name, args, settings, region, this);
    const cluster = createCluster(name, args, settings, this);
    const queue = createQueue(name, args, settings, this);
    const sources = createSources(name, args, queue, settings.fifo, this);
    createQueuePolicy(name, queue, sources.statements, this);

    const logGroups = createLogGroups(name, args, settings, this);
    const appImage = resolveImage(`${name}-app`, args.app.image, args.app.build, settings, args.tags, this);
    const sidecarImage = resolveImage(
      `${name}-sqsd`,
      args.sidecar?.image,
      args.sidecar?.image === undefined ? defaultSidecarBuild(name) : undefined,
      settings,
      args.tags,
      this,
    );
    const extraImages = new Map(
      (args.extraContainers ?? []).map((c) => [c.name, resolveImage(`${name}-${c.name}`, c.image, c.build, settings, args.tags, this)] as const),
    );
    // What ECS reads at task start (secrets, environment files, registry credentials) and the EFS volumes, resolved once for the task definition and the roles.
    const startup = resolveStartup(args, region, accountId);
    const volumes = resolveVolumes(args, region, accountId);
    const roles = createRoles(
      name,
      {
        accountId,
        queueArn: queue.arn,
        kmsKeyArn: queue.kmsKeyArn,
        clusterArn: cluster.arn,
        executeCommand: args.enableExecuteCommand === true,
        logGroupArns: logGroupArns(logGroups),
        imageUris: [appImage, sidecarImage, ...extraImages.values(), ...(settings.tracing ? [pulumi.output(args.observability?.collectorImage ?? DEFAULT_COLLECTOR_IMAGE)] : [])],
        executionGrants: startup.apply((s) => s.grants),
        efs: volumes.apply((v) => v.grants),
        tracing: settings.tracing,
        extraPolicyDocuments: args.taskPolicyDocuments ?? [],
        extraPolicyArns: args.taskPolicyArns ?? [],
        tags: args.tags,
      },
      this,
    );
    const taskDefinition = createTaskDefinition(
      name,
      args,
      settings,
      {
        appImage,
        sidecarImage,
        extraImages,
        logGroups,
        queueUrl: queue.url,
        region,
        taskRoleArn: roles.taskRole.arn,
        executionRoleArn: roles.executionRole.arn,
        startup,
        volumes: volumes.apply((v) => v.volumes),
      },
      this,
    );
    const service = createService(
      name,
      args,
      settings,
      {
        clusterArn: cluster.arn,
        taskDefinitionArn: taskDefinition.arn,
        subnetIds: network.subnetIds,
        securityGroupId: network.securityGroup.id,
        dependsOn: [...roles.policies, ...network.mountTargets],
      },
      this,
    );
    if (settings.scaling) {
      createScaling(name, settings.scaling, { clusterName: cluster.name, serviceName: service.name, queueName: queue.name, tags: args.tags }, this);
    }
    createSchedules(name, settings.periodicTasks, queue, args.tags, this);
    createAlarms(name, args, queue, this, sources.rulesDlq?.name);
    createRollbackAlarms(name, args, { clusterName: cluster.name, serviceName: service.name, queueName: queue.name }, this);
    const dashboardUrl = settings.dashboard
      ? createDashboard(
          name,
          args,
          settings,
          { region, queueUrl: queue.url, queueName: queue.name, dlqArn: queue.dlqArn, rulesDlqName: sources.rulesDlq?.name, clusterName: cluster.name, serviceName: service.name },
          this,
        )
      : undefined;

    this.queueUrl = queue.url;
    this.queueArn = queue.arn;
    this.dlqUrl = pulumi.output(queue.dlqUrl);
    this.dlqArn = pulumi.output(queue.dlqArn);
    this.eventRulesDlqUrl = pulumi.output(sources.rulesDlq?.url);
    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    this.serviceName = service.name;
    this.serviceArn = service.arn;
    this.taskDefinitionArn = taskDefinition.arn;
    this.taskRoleArn = roles.taskRole.arn;
    this.executionRoleArn = roles.executionRole.arn;
    this.appLogGroupName = logGroups.app.name;
    this.sidecarLogGroupName = logGroups.sidecar.name;
    this.securityGroupId = network.securityGroup.id;
    this.vpcId = network.vpcId;
    this.subnetIds = network.subnetIds;
    this.dashboardUrl = pulumi.output(dashboardUrl);
    this.registerOutputs({
      queueUrl: this.queueUrl,
      queueArn: this.queueArn,
      dlqUrl: this.dlqUrl,
      dlqArn: this.dlqArn,
      eventRulesDlqUrl: this.eventRulesDlqUrl,
      clusterName: this.clusterName,
      clusterArn: this.clusterArn,
      serviceName: this.serviceName,
      serviceArn: this.serviceArn,
      taskDefinitionArn: this.taskDefinitionArn,
      taskRoleArn: this.taskRoleArn,
      executionRoleArn: this.executionRoleArn,
      appLogGroupName: this.appLogGroupName,
      sidecarLogGroupName: this.sidecarLogGroupName,
      securityGroupId: this.securityGroupId,
      vpcId: this.vpcId,
      subnetIds: this.subnetIds,
      dashboardUrl: this.dashboardUrl,
    });
  }
}
