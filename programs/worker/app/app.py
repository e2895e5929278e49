"""The blog's worker app: print the JSON each message carries, answer 200.

The sqsd sidecar POSTs every SQS message to "/" and deletes it on 200; any other answer
brings the message back after ErrorVisibilityTimeout. /health is what the sidecar
(HealthCheckPath) and the ECS container health check poll before work is handed over.
"""
import json
import os

from flask import Flask, request

app = Flask(__name__)


@app.get("/health")
def health():
    return {"status": "ok"}


@app.post("/")
def work():
    body = request.get_data(as_text=True)
    try:
        payload = json.loads(body) if body else None
    except ValueError:
        # Not JSON: a retry would not fix it, so log it and let the message be deleted.
        payload = {"unparsed": body}
    record = {
        "message_id": request.headers.get("X-Aws-Sqsd-Msgid"),
        "receive_count": request.headers.get("X-Aws-Sqsd-Receive-Count"),
        "task_name": request.headers.get("X-Aws-Sqsd-Taskname"),
        "body": payload,
    }
    # One JSON line per message on stdout, flushed at once: that is what reaches CloudWatch Logs.
    print(json.dumps(record, separators=(",", ":")), flush=True)
    return "", 200


if __name__ == "__main__":
    # Local runs only; the container runs gunicorn (see Dockerfile).
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8080")))
