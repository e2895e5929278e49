/**
 * AWS Signature Version 4 for the daemon's own SQS calls (sqs-wire.ts): POST of a JSON body to
 * one endpoint, signed headers fixed. The derived signing key is kept per day, region and
 * secret, so a call costs two SHA-256 digests and two HMACs.
 */
import { createHash, createHmac } from "node:crypto";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Headers of a request to sign; `host` must be among them. Names in lowercase. */
export type SignedHeaders = Record<string, string>;

const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();

/** 20260101T120000Z */
export function amzDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** The canonical URI of a path as sent: URI-encoded once more, slashes kept (SigV4 for every service but S3). */
export function canonicalPath(path: string): string {
  if (path === "/" || path === "") return "/";
  return encodeURIComponent(path)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, "/");
}

export class SigV4 {
  private key?: { scope: string; secret: string; value: Buffer };

  constructor(
    private readonly region: string,
    private readonly service: string,
  ) {}

  /**
   * Add x-amz-date, x-amz-security-token (with session credentials) and authorization to
   * `headers` for a POST of `body` to `path`, at `now` (epoch ms, clock skew corrected).
   */
  sign(headers: SignedHeaders, path: string, body: string, creds: Credentials, now: number): void {
    const date = amzDate(now);
    const day = date.slice(0, 8);
    headers["x-amz-date"] = date;
    if (creds.sessionToken) headers["x-amz-security-token"] = creds.sessionToken;
    const names = Object.keys(headers)
      .map((n) => n.toLowerCase())
      .filter((n) => n !== "authorization" && n !== "content-length")
      .sort();
    const canonicalHeaders = names.map((n) => `${n}:${String(headers[n]).trim().replace(/\s+/g, " ")}\n`).join("");
    const signed = names.join(";");
    const canonicalRequest = `POST\n${canonicalPath(path)}\n\n${canonicalHeaders}\n${signed}\n${sha256Hex(body)}`;
    const scope = `${day}/${this.region}/${this.service}/aws4_request`;
    const stringToSign = `AWS4-HMAC-SHA256\n${date}\n${scope}\n${sha256Hex(canonicalRequest)}`;
    const signature = createHmac("sha256", this.signingKey(scope, day, creds.secretAccessKey)).update(stringToSign).digest("hex");
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`;
  }

  private signingKey(scope: string, day: string, secret: string): Buffer {
    if (this.key?.scope === scope && this.key.secret === secret) return this.key.value;
    const value = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), this.region), this.service), "aws4_request");
    this.key = { scope, secret, value };
    return value;
  }
}
