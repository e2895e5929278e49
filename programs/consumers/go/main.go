// A Go program using sqsd-worker's WorkerEnvironment through the generated Go SDK.
//
// Add the package first (it generates ./sdks/sqsd-worker and a replace directive in go.mod):
//
//	pulumi package add <checkout>/provider    (after `npm ci` in the checkout), or
//	pulumi package add https://github.com/<owner>/sqsd-worker.git/provider@<tag>
package main

import (
	sqsd "example.com/pulumi-sqsd-worker/sdk/go/sqsd-worker"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		// Plain (non-Input) fields are Go values or pointers; Input fields take pulumi.String etc.
		worker, err := sqsd.NewWorkerEnvironment(ctx, "blog-worker", &sqsd.WorkerEnvironmentArgs{
			App: sqsd.AppContainerArgs{
				Image:    pulumi.String("public.ecr.aws/docker/library/python:3.12-slim"),
				Port:     pulumi.Float64Ref(8080),
				HttpPath: pulumi.StringRef("/work"),
				// A map of nested types: plain values of the generated Args structs.
				Secrets: map[string]sqsd.ContainerSecretArgs{
					"DB_PASSWORD": {
						SecretsManagerArn: pulumi.String("arn:aws:secretsmanager:us-east-1:123456789012:secret:blog/db-AbCdEf"),
						JsonKey:           pulumi.StringRef("password"),
					},
				},
			},
			Observability: &sqsd.ObservabilitySettingsArgs{Tracing: pulumi.StringRef("awsxray")},
			Queue:      &sqsd.QueueSettingsArgs{VisibilityTimeoutSeconds: pulumi.Float64Ref(120)},
			Scaling:    &sqsd.ScalingSettingsArgs{MinCount: pulumi.Float64Ref(0), MaxCount: pulumi.Float64Ref(4)},
			MaxRetries: pulumi.Float64Ref(5),
			Tags:       map[string]pulumi.StringInput{"project": pulumi.String("blog")},
		})
		if err != nil {
			return err
		}
		ctx.Export("queueUrl", worker.QueueUrl)
		ctx.Export("serviceName", worker.ServiceName)
		return nil
	})
}
