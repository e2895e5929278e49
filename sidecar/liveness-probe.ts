/**
 * The container health check's command: `node -e <this>` asks the daemon's /livez and exits
 * 0 on 200, 1 otherwise. node:http rather than fetch: a probe starts a fresh Node every
 * 10 s inside the sidecar's memory, and fetch would load its whole HTTP stack each time.
 * The Dockerfile's HEALTHCHECK carries the same text (a test keeps them equal), and the
 * component repeats it in the task definition, since ECS ignores a Dockerfile HEALTHCHECK.
 */
export const LIVENESS_PROBE_SCRIPT =
  "require('http').get('http://127.0.0.1:'+(process.env.StatusPort||9321)+'/livez',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).setTimeout(2500,()=>process.exit(1))";
