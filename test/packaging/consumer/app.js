// The user's own worker app for `sqsd-worker local --app`: 200 for every POST, on $PORT.
const http = require("node:http");

const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    console.log(`worked on ${body}`);
    res.writeHead(200).end("ok");
  });
});
server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
