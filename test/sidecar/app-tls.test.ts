/**
 * An app served over https (HttpUrl https://): the certificate is verified, so a self-signed
 * one fails each delivery as a connection error and the message stays; TlsVerify=false
 * (simple-sqsd's SQSD_HTTP_SSL_VERIFY=false) accepts it. Real daemon, emulator and https app.
 */
import { strict as assert } from "node:assert";
import { startApp } from "../support/app-server";
import { requireOrSkip } from "../support/ci-requirement";
import { daemonEnv, startDaemon } from "../support/daemon";
import { selfSignedCertificate } from "../support/self-signed";
import { sidecarTest } from "../support/sidecar-test";
import { eventually } from "../support/wait";

describe("sidecar: an https app", function () {
  const t = sidecarTest();
  let tls: { key: string; cert: string };

  before(function () {
    const made = selfSignedCertificate();
    if ("missing" in made) requireOrSkip(this, made.missing, "install openssl (Debian: apt-get install openssl)");
    tls = made;
  });

  it("a self-signed certificate fails the delivery (the message stays); SQSD_HTTP_SSL_VERIFY=false delivers it", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    t.app = await startApp(undefined, { tls });
    assert.match(t.app.url, /^https:/);
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { ErrorVisibilityTimeout: "0" }));
    const id = await t.queue.send("over tls");
    const failed = await t.d.waitFor("failed", (e) => e.message.id === id);
    assert.equal(failed.outcome, "connection-error");
    assert.match(failed.reason, /self[- ]signed|certificate/i);
    assert.equal(t.app.requests.length, 0, "no request got through");
    await t.d.stop();

    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { SQSD_HTTP_SSL_VERIFY: "false" }));
    await t.d.waitFor("delivered", (e) => e.message.id === id, 20_000);
    assert.equal(t.app.requests[0]?.body.toString(), "over tls");
    await eventually(async () => assert.deepEqual(await t.queue.counts(), { visible: 0, inFlight: 0, delayed: 0 }));
  });
});
