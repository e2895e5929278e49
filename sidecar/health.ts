/**
 * The app's health, as a gate the pollers wait on: closed until the app answers its health
 * check, closed again when it stops answering, so an outage does not burn retries into the DLQ.
 */
import type { Agent } from "node:http";
import { connect } from "node:net";
import { sleep } from "./backoff";
import type { Config } from "./config";
import type { Emit } from "./daemon-events";
import { httpRequest, keepAliveAgent } from "./http-request";
import type { Logger } from "./telemetry";

export class AppHealth {
  private healthy = false;
  /** Was healthy once and then was not: the next opening is a recovery. */
  private lost = false;
  private recovering = false;
  private waiters: Array<() => void> = [];
  private readonly openListeners: Array<() => void> = [];
  // Its own connection, so probes never queue behind slow deliveries.
  private readonly agent: Agent;

  constructor(
    private readonly cfg: Config,
    private readonly log: Logger,
    private readonly emit: Emit,
  ) {
    this.agent = keepAliveAgent(cfg.appOrigin, { maxSockets: 1, timeout: 4000 }, cfg.tlsVerify);
  }

  get isHealthy(): boolean {
    return this.healthy;
  }

  /** One probe: GET HealthCheckPath expecting 2xx, or a TCP connect when no path is set. */
  async probe(): Promise<boolean> {
    const timeoutMs = this.cfg.connectTimeoutMs + Math.max(1000, this.cfg.healthCheckIntervalMs);
    try {
      if (this.cfg.healthCheckPath === undefined) return await this.tcpProbe(timeoutMs);
      const res = await httpRequest(this.cfg.appOrigin + this.cfg.healthCheckPath, {
        method: "GET",
        headers: { "user-agent": this.cfg.userAgent, ...(this.cfg.authorization ? { [this.cfg.authorization.name]: this.cfg.authorization.value } : {}) },
        agent: this.agent,
        signal: AbortSignal.timeout(timeoutMs),
        maxBodyBytes: 64 * 1024,
      });
      return res.status >= 200 && res.status < 300;
    } catch {
      return false;
    }
  }

  private tcpProbe(timeoutMs: number): Promise<boolean> {
    const url = new URL(this.cfg.appOrigin);
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    return new Promise((resolve) => {
      const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ""), port });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(timeoutMs, () => done(false));
      socket.once("connect", () => done(true));
      socket.once("error", () => done(false));
    });
  }

  /** Probe until HealthCheckSuccessCount probes in a row pass; then open the gate. */
  async waitUntilHealthy(signal: AbortSignal): Promise<void> {
    let streak = 0;
    let tries = 0;
    while (!signal.aborted) {
      if (await this.probe()) streak++;
      else streak = 0;
      if (streak >= this.cfg.healthCheckSuccessCount) {
        this.open();
        return;
      }
      if (++tries % 12 === 0) this.log.warn({ target: this.target() }, "still waiting for the app to become healthy");
      await sleep(this.cfg.healthCheckIntervalMs, signal);
    }
  }

  /** Close the gate and probe in the background until the app is back. */
  markUnhealthy(reason: string, signal: AbortSignal): void {
    if (this.healthy) {
      this.lost = true;
      this.emit("app-unhealthy", { reason });
    }
    this.healthy = false;
    if (this.recovering) return;
    this.recovering = true;
    void this.waitUntilHealthy(signal).finally(() => {
      this.recovering = false;
    });
  }

  /** While running with a health path, probe every interval and close the gate on failure. */
  async monitor(signal: AbortSignal): Promise<void> {
    if (this.cfg.healthCheckPath === undefined) return;
    while (!signal.aborted) {
      await sleep(this.cfg.healthCheckIntervalMs, signal);
      if (signal.aborted || !this.healthy) continue;
      if (!(await this.probe())) this.markUnhealthy("health check failed", signal);
    }
  }

  /** Resolves when the gate is open (or the signal aborts). */
  waitOpen(signal: AbortSignal): Promise<void> {
    if (this.healthy || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener("abort", done);
        resolve();
      };
      this.waiters.push(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  /** Call `fn` every time the gate opens. */
  onOpen(fn: () => void): void {
    this.openListeners.push(fn);
  }

  close(): void {
    this.agent.destroy();
  }

  private open(): void {
    if (!this.healthy && this.lost) this.emit("app-healthy", {});
    this.healthy = true;
    for (const w of this.waiters.splice(0)) w();
    for (const fn of this.openListeners) fn();
  }

  private target(): string {
    return this.cfg.appOrigin + (this.cfg.healthCheckPath ?? "");
  }
}
