/**
 * ECS task scale-in protection, against a local HTTP server standing in for the ECS agent:
 * protected while messages are held, released when idle and on shutdown.
 */
import { strict as assert } from "node:assert";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startApp } from "../support/app-server";
import { daemonEnv, startDaemon } from "../support/daemon";
import { eventually, sleep } from "../support/wait";
import { sidecarTest } from "../support/sidecar-test";

interface AgentCall {
  method: string;
  path: string;
  body: { ProtectionEnabled?: boolean; ExpiresInMinutes?: number };
  at: number;
}

/** A stand-in ECS agent that records task-protection calls and answers like the agent. */
async function startAgent(): Promise<{ uri: string; calls: AgentCall[]; close(): Promise<void> }> {
  const calls: AgentCall[] = [];
  const server: Server = createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      const body = JSON.parse(text || "{}") as AgentCall["body"];
      calls.push({ method: req.method ?? "", path: req.url ?? "", body, at: Date.now() });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ protection: { ProtectionEnabled: body.ProtectionEnabled, TaskArn: "arn:aws:ecs:us-east-1:000000000000:task/c/t" } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    uri: `http://127.0.0.1:${port}/api/task-id`,
    calls,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe("sidecar: ECS task scale-in protection", function () {
  const t = sidecarTest();

  it("protects the task while a message is held and releases it after an idle spell", async () => {
    const agent = await startAgent();
    try {
      t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
      t.app = await startApp({ status: 200, delayMs: 800 });
      t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { ECS_AGENT_URI: agent.uri, TaskProtectionMinutes: "5" }), { protectionIdleGraceMs: 500 });
      await sleep(500);
      assert.equal(agent.calls.length, 0, "no protection while idle");
      await t.queue.send("work");
      const [req] = await t.app.waitForRequests(1);
      await eventually(() => assert.equal(agent.calls.length, 2), { timeoutMs: 10_000 });
      const [on, off] = agent.calls;
      assert.deepEqual(on, { method: "PUT", path: "/api/task-id/task-protection/v1/state", body: { ProtectionEnabled: true, ExpiresInMinutes: 5 }, at: on!.at });
      assert.ok(on!.at <= req!.at, "protected before the app saw the message");
      assert.deepEqual(off!.body, { ProtectionEnabled: false });
      assert.ok(off!.at >= req!.at + 800 + 400, "released only after the message was done and the idle spell passed");
    } finally {
      await agent.close();
    }
  });

  it("is off with TaskProtection=off even inside ECS", async () => {
    const agent = await startAgent();
    try {
      t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
      t.app = await startApp();
      t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { ECS_AGENT_URI: agent.uri, TaskProtection: "off" }), { protectionIdleGraceMs: 100 });
      await t.queue.send("work");
      await t.app.waitForRequests(1);
      await sleep(500);
      assert.equal(agent.calls.length, 0);
    } finally {
      await agent.close();
    }
  });

  it("drops protection on shutdown", async () => {
    const agent = await startAgent();
    try {
      t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
      t.app = await startApp({ status: 200, delayMs: 300 });
      t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { ECS_AGENT_URI: agent.uri }), { protectionIdleGraceMs: 60_000 });
      await t.queue.send("work");
      await t.app.waitForRequests(1);
      await eventually(() => assert.equal(agent.calls.length, 1));
      await t.d.stop();
      assert.deepEqual(agent.calls.map((c) => c.body.ProtectionEnabled), [true, false]);
    } finally {
      await agent.close();
    }
  });
});
