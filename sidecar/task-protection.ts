/**
 * ECS task scale-in protection: while this daemon holds messages its task is protected, so
 * a scale-in never stops it mid-message; protection is dropped after a short idle spell.
 * Calls go to the ECS agent: PUT $ECS_AGENT_URI/task-protection/v1/state.
 */
import type { Emit } from "./daemon-events";
import { errorText } from "./errors";
import { httpRequest } from "./http-request";
import type { Logger } from "./telemetry";

export interface TaskProtectionOptions {
  agentUri: string;
  expiresInMinutes: number;
  /** How long the daemon must be idle before protection is dropped. */
  idleGraceMs: number;
}

export class TaskProtection {
  private protectedUntil = 0;
  private wanted = false;
  private idleTimer?: NodeJS.Timeout;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly opts: TaskProtectionOptions,
    private readonly log: Logger,
    private readonly emit: Emit,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Call whenever the number of held messages changes. Resolves once the task is protected
   * (at once when it already is), so a message is not posted before its task is safe.
   */
  update(held: number): Promise<void> {
    if (held > 0) {
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
      // Renew when less than half of the protection period is left.
      const renewAt = this.protectedUntil - (this.opts.expiresInMinutes * 60_000) / 2;
      if (!this.wanted || this.clock() >= renewAt) this.set(true);
      return this.chain;
    }
    if (this.wanted && !this.idleTimer) {
      this.idleTimer = setTimeout(() => {
        this.idleTimer = undefined;
        this.set(false);
      }, this.opts.idleGraceMs);
      this.idleTimer.unref();
    }
    return Promise.resolve();
  }

  /** Drop protection now (shutdown). */
  async release(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.wanted) this.set(false);
    await this.chain;
  }

  private set(enabled: boolean): void {
    this.wanted = enabled;
    if (enabled) this.protectedUntil = this.clock() + this.opts.expiresInMinutes * 60_000;
    // Serialise calls so the agent sees them in order.
    this.chain = this.chain.then(() => this.put(enabled));
  }

  private async put(enabled: boolean): Promise<void> {
    const body = enabled ? { ProtectionEnabled: true, ExpiresInMinutes: this.opts.expiresInMinutes } : { ProtectionEnabled: false };
    try {
      const res = await httpRequest(`${this.opts.agentUri.replace(/\/$/, "")}/task-protection/v1/state`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
        keepBodyBytes: 64 * 1024,
      });
      const text = res.body.toString("utf8");
      if (res.status !== 200 || text.includes('"failure"')) {
        this.log.warn({ status: res.status, response: text.slice(0, 500), enabled }, "task scale-in protection update failed");
      } else {
        this.emit("protection", { enabled });
      }
    } catch (err) {
      if (enabled) this.protectedUntil = 0; // retry on the next update
      this.log.warn({ err: errorText(err), enabled }, "task scale-in protection call failed");
    }
  }
}
