/** A handler that answers 200 and then writes a body that never ends: tests of maxBodyBytes. */
import type { RequestListener } from "node:http";

export const endlessReply: RequestListener = (req, res) => {
  req.resume();
  res.writeHead(200);
  const chunk = Buffer.alloc(64 * 1024, 120);
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once("drain", pump);
  };
  pump();
};
