"""A Python program using sqsd-worker's WorkerEnvironment through the generated Python SDK.

Add the package first (it generates ./sdks/sqsd-worker and adds it to requirements.txt):
    pulumi package add <checkout>/provider    (after `npm ci` in the checkout), or
    pulumi package add https://github.com/<owner>/sqsd-worker.git/provider@<tag>
"""
import pulumi
import pulumi_sqsd_worker as sqsd

config = pulumi.Config()

worker = sqsd.WorkerEnvironment(
    "blog-worker",
    # Nested args are plain values: dicts (TypedDicts) or the generated *Args classes.
    app={
        "image": config.get("image") or "public.ecr.aws/docker/library/python:3.12-slim",
        "port": 8080,
        "http_path": "/work",
        "environment": {"LOG_LEVEL": "info"},
        # A map of nested types: each value is a ContainerSecretArgs (or its dict).
        "secrets": {
            "DB_PASSWORD": sqsd.ContainerSecretArgs(
                secrets_manager_arn="arn:aws:secretsmanager:us-east-1:123456789012:secret:blog/db-AbCdEf",
                json_key="password",
            ),
        },
    },
    observability=sqsd.ObservabilitySettingsArgs(tracing="awsxray"),
    queue=sqsd.QueueSettingsArgs(visibility_timeout_seconds=120, retention_seconds=86400),
    scaling=sqsd.ScalingSettingsArgs(min_count=0, max_count=4, acceptable_latency=60),
    max_retries=5,
    cpu=256,
    memory=512,
    tags={"project": "blog"},
)

pulumi.export("queue_url", worker.queue_url)
pulumi.export("dlq_url", worker.dlq_url)
pulumi.export("service_name", worker.service_name)
