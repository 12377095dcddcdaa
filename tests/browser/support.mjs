// What the browser tests drive: a real `vapidash serve`, VAPI's webhooks, and a fake VAPI that serves a call's
// listen URL (PCM over a WebSocket) and control URL (HTTP), as VAPI's monitor endpoints do.
import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";

export async function until(what, condition, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting for " + what);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// `vapidash serve` on 127.0.0.1 (port 0: a free one), ready once its banner names the address.
export class Server {
  constructor(binary, directory, extraArgs = []) {
    this.binary = binary;
    this.directory = directory;
    this.extraArgs = extraArgs;
    this.port = 0;
    this.stderr = "";
  }

  get base() { return "http://127.0.0.1:" + this.port; }

  async start(port = this.port) {
    const args = ["serve", "--listen", "127.0.0.1:" + port, "--db", path.join(this.directory, "calls.db"),
                  "--log-level", "warn", "--threads", "2", "--sync", "normal", ...this.extraArgs];
    this.child = spawn(this.binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    this.child.stderr.on("data", (chunk) => { this.stderr += chunk; });
    const exited = once(this.child, "exit").then(([code]) => {
      throw new Error("vapidash serve exited with " + code + " before serving:\n" + this.stderr);
    });
    const banner = new Promise((resolve) => {
      readline.createInterface({ input: this.child.stdout }).on("line", (line) => {
        const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
        if (match) resolve(Number(match[1]));
      });
    });
    const served = await Promise.race([banner, exited]);
    exited.catch(() => {});
    return served;
  }

  async listen(port = 0) {
    this.port = await this.start(port);
  }

  async stop() {
    if (!this.child || this.child.exitCode !== null) return;
    const exited = once(this.child, "exit");
    this.child.kill("SIGTERM");
    await exited;
  }

  async post(pathname, body, headers = {}) {
    const response = await fetch(this.base + pathname, {
      method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(pathname + " answered " + response.status + ": " + JSON.stringify(answer));
    return answer;
  }

  async get(pathname, headers = {}) {
    const response = await fetch(this.base + pathname, { headers });
    return { status: response.status, body: await response.json() };
  }
}

// VAPI's webhooks for one tenant. Every message gets its own timestamp: a repeated one would be a re-delivery.
let clock = 0;
export class Vapi {
  constructor(server, client) {
    this.server = server;
    this.client = client;
  }

  send(type, callId, fields = {}, call = {}) {
    clock = Math.max(clock + 1, Date.now());
    const message = { type, timestamp: clock, call: { id: callId, ...call }, ...fields };
    return this.server.post("/webhooks/vapi/" + this.client, { message });
  }

  status(callId, status, { phone, monitor, fields, call } = {}) {
    return this.send("status-update", callId, { status, ...(phone ? { customer: { number: phone } } : {}), ...fields },
                     { status, ...(monitor ? { monitor } : {}), ...call });
  }

  line(callId, role, text, final = true) {
    return this.send("transcript", callId, { role, transcript: text, transcriptType: final ? "final" : "partial" });
  }

  report(callId, { summary, endedReason = "customer-ended-call", recordingUrl }) {
    return this.send("end-of-call-report", callId, {
      endedReason, durationSeconds: 42, cost: 0.0731, analysis: { summary },
      artifact: { transcript: "", ...(recordingUrl ? { recordingUrl } : {}) },
    });
  }
}

// Stereo s16le PCM at 16 kHz in 20 ms frames: a tone on the customer's channel, silence on the assistant's.
function pcmFrame(startSample, frames = 320) {
  const buffer = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames; i++) {
    const t = (startSample + i) / 16000;
    buffer.writeInt16LE(Math.round(Math.sin(2 * Math.PI * 440 * t) * 16000), i * 4);
    buffer.writeInt16LE(0, i * 4 + 2);
  }
  return buffer;
}

// A stand-in for VAPI's monitor endpoints: ws://.../listen/{call} streams PCM, POST /control/{call} is recorded
// and answered 200, and a transfer or end-call is followed by the webhooks VAPI would send.
export class FakeVapi {
  constructor(WebSocketServer) {
    this.controls = [];
    this.listeners = 0;
    this.onControl = async () => {};
    this.http = http.createServer((request, response) => this.control(request, response));
    this.sockets = new WebSocketServer({ server: this.http });
    this.sockets.on("connection", (socket) => this.stream(socket));
  }

  async start() {
    this.http.listen(0, "127.0.0.1");
    await once(this.http, "listening");
    this.port = this.http.address().port;
  }

  monitor(callId) {
    return { listenUrl: "ws://127.0.0.1:" + this.port + "/listen/" + callId,
             controlUrl: "http://127.0.0.1:" + this.port + "/control/" + callId };
  }

  control(request, response) {
    let body = "";
    request.on("data", (chunk) => { body += chunk; });
    request.on("end", async () => {
      const callId = decodeURIComponent(request.url.replace(/^\/control\//, ""));
      const control = { callId, body: JSON.parse(body || "{}") };
      this.controls.push(control);
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ ok: true }));
      await this.onControl(control);
    });
  }

  stream(socket) {
    this.listeners++;
    let sample = 0;
    const timer = setInterval(() => {
      socket.send(pcmFrame(sample));
      sample += 320;
    }, 20);
    socket.on("close", () => clearInterval(timer));
    socket.on("error", () => clearInterval(timer));
  }

  async stop() {
    for (const client of this.sockets.clients) client.terminate();
    this.sockets.close();
    this.http.closeAllConnections();
    this.http.close();
  }
}
