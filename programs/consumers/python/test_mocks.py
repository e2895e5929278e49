"""Runs __main__.py under Pulumi's Python mocks and checks what it sent to the engine.

WorkerEnvironment is a remote (multi-language) component: under mocks its registration arrives
in new_resource with the type token and the inputs, named as in the schema (camelCase).
Run with the generated SDK on PYTHONPATH (test/packaging/consumers.test.ts does this).
"""
import os
import runpy
import sys

import pulumi

TOKEN = "sqsd-worker:index:WorkerEnvironment"


class Mocks(pulumi.runtime.Mocks):
    def __init__(self):
        self.resources = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        self.resources.append(args)
        outputs = dict(args.inputs)
        if args.typ == TOKEN:
            outputs.update(
                queueUrl=f"https://sqs.example.invalid/{args.name}",
                dlqUrl=f"https://sqs.example.invalid/{args.name}-dlq",
                serviceName=f"{args.name}-service",
            )
        return [f"{args.name}-id", outputs]

    def call(self, args: pulumi.runtime.MockCallArgs):
        return {}


mocks = Mocks()
pulumi.runtime.set_mocks(mocks, project="consumer", stack="test", preview=False)

program = runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)), "__main__.py"))
worker = program["worker"]


@pulumi.runtime.test
def check_inputs():
    def verify(values):
        queue_url, service_name = values
        found = [r for r in mocks.resources if r.typ == TOKEN]
        assert len(found) == 1, f"expected one {TOKEN}, got {[r.typ for r in mocks.resources]}"
        inputs = found[0].inputs
        assert found[0].name == "blog-worker", found[0].name
        assert inputs["app"]["image"].endswith("python:3.12-slim"), inputs["app"]
        assert inputs["app"]["port"] == 8080 and inputs["app"]["httpPath"] == "/work", inputs["app"]
        assert inputs["app"]["environment"] == {"LOG_LEVEL": "info"}, inputs["app"]
        assert inputs["app"]["secrets"] == {
            "DB_PASSWORD": {"secretsManagerArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:blog/db-AbCdEf", "jsonKey": "password"}
        }, inputs["app"]["secrets"]
        assert inputs["observability"] == {"tracing": "awsxray"}, inputs["observability"]
        assert inputs["queue"] == {"visibilityTimeoutSeconds": 120, "retentionSeconds": 86400}, inputs["queue"]
        assert inputs["scaling"] == {"minCount": 0, "maxCount": 4, "acceptableLatency": 60}, inputs["scaling"]
        assert inputs["maxRetries"] == 5 and inputs["cpu"] == 256 and inputs["memory"] == 512, inputs
        assert inputs["tags"] == {"project": "blog"}, inputs["tags"]
        assert queue_url == "https://sqs.example.invalid/blog-worker", queue_url
        assert service_name == "blog-worker-service", service_name
        print(f"python mocks: {TOKEN} registered with inputs {sorted(inputs)}")

    return pulumi.Output.all(worker.queue_url, worker.service_name).apply(verify)


if __name__ == "__main__":
    try:
        check_inputs()
    except AssertionError as err:
        print(f"python mocks: FAILED: {err}", file=sys.stderr)
        sys.exit(1)
    print("python mocks: 1 passed, 0 failed")
