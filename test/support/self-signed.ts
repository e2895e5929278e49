/**
 * A throwaway self-signed certificate for 127.0.0.1, made by the openssl CLI (Node.js cannot
 * create X.509 certificates), for an https app in a test.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type SelfSigned = { key: string; cert: string } | { missing: string };

export function selfSignedCertificate(): SelfSigned {
  const dir = mkdtempSync(join(tmpdir(), "sqsd-cert-"));
  try {
    const args = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"];
    const r = spawnSync("openssl", [...args, "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { encoding: "utf8" });
    if (r.error) return { missing: `openssl not found (${r.error.message})` };
    if (r.status !== 0) return { missing: `openssl could not make a certificate: ${r.stderr.trim()}` };
    return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
